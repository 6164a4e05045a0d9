-- The day of the exchange rate each conversion used (the latest on or before the day of
-- the payment or plan item), shown beside the converted amount. Empty for USD and for
-- conversions recorded before this was kept.
ALTER TABLE plan_items ADD COLUMN usd_rate_on TEXT;
ALTER TABLE disbursements ADD COLUMN usd_rate_on TEXT;
