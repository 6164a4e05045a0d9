ALTER TABLE disbursements DROP COLUMN usd_rate_on;
ALTER TABLE plan_items DROP COLUMN usd_rate_on;
