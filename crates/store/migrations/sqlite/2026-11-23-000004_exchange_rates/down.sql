DELETE FROM role_permissions WHERE permission = 'reference.manage';
DROP TABLE exchange_rates;
