ALTER TABLE cases DROP COLUMN expected_departure_on;
