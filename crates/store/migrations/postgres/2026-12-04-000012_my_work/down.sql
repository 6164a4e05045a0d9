DROP INDEX cases_assigned_open;
