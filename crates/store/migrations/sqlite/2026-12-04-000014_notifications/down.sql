DROP TABLE notification_choices;
DROP TABLE notifications;
