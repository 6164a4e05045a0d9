DROP TRIGGER role_permissions_lookups ON role_permissions;
DROP TRIGGER roles_lookups ON roles;
DROP TRIGGER users_lookups ON users;
DROP TRIGGER packages_lookups ON packages;
DROP TRIGGER offices_lookups ON offices;
DROP FUNCTION lookups_changed();
DROP TABLE lookups_version;
DROP INDEX tasks_open_case;
