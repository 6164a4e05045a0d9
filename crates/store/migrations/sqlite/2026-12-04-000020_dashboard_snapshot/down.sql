DROP TABLE dashboard_snapshot;
