DROP INDEX cases_plan_submitted;
DROP INDEX cases_unassigned;
