CREATE SCHEMA "feedback";
