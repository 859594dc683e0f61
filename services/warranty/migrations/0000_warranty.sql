CREATE SCHEMA "warranty";
