DELETE FROM role_permissions WHERE permission = 'instruments.manage';
DROP TABLE survey_scores;
DROP TABLE surveys;
DROP TABLE survey_instruments;
