DROP TABLE project_search;
DROP TABLE project_results;
DROP TABLE project_countries;
DROP TABLE projects;
DROP TABLE project_types;
DROP TABLE idf_regions;
