DROP TABLE case_notes;
