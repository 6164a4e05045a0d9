DROP INDEX cases_project;
DROP TABLE indicator_bindings;
