-- One database per subgraph: in production no subgraph can read another's
-- tables, and each can be moved to its own server (or Citus) on its own.
CREATE DATABASE aftersales_partners;
CREATE DATABASE aftersales_catalog;
CREATE DATABASE aftersales_warranty;
CREATE DATABASE aftersales_tickets;
CREATE DATABASE aftersales_feedback;
-- The scheduler's record of its job runs, shared by its replicas.
CREATE DATABASE aftersales_scheduler;
