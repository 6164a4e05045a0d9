-- USD value of one unit of a currency on a date, maintained by administrators or imports;
-- assistance paid in ALL, GEL, WST ... is converted with the rate of its date.
CREATE TABLE exchange_rates (
    currency TEXT NOT NULL,
    on_date TEXT NOT NULL,
    usd_per_unit TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (currency, on_date)
);

-- Administrators of existing installations get the new permission for reference data.
INSERT INTO role_permissions (role, permission, scope)
SELECT code, 'reference.manage', 'all' FROM roles WHERE code = 'administrator';
