-- When a case handed over before the returnee left is expected to depart, as the host
-- office said at the hand-over.
ALTER TABLE cases ADD COLUMN expected_departure_on TEXT;
