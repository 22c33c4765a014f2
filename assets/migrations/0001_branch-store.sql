-- The branch's shared store: accounts, staff, the counter's queue, the register and the audit trail.
-- Documents are kept whole as jsonb (the same shape the embedded store writes); what must be unique
-- or looked up is a generated column with an index, so the database itself enforces uniqueness.

-- Up Migration
CREATE TABLE accounts (
  id text PRIMARY KEY,
  doc jsonb NOT NULL,
  kvnr text GENERATED ALWAYS AS (doc->>'kvnr') STORED NOT NULL,
  username_key text GENERATED ALWAYS AS (doc->>'usernameKey') STORED NOT NULL,
  postident_case text GENERATED ALWAYS AS (doc->'identity'->'postident'->>'caseId') STORED,
  email_confirmed boolean GENERATED ALWAYS AS (doc->'email' ? 'confirmedAt') STORED NOT NULL,
  identity_confirmed boolean GENERATED ALWAYS AS (doc->'identity' ? 'confirmedAt') STORED NOT NULL,
  mailbox_decided boolean GENERATED ALWAYS AS (doc->'mailbox'->>'state' <> 'PENDING') STORED NOT NULL,
  CONSTRAINT accounts_kvnr_unique UNIQUE (kvnr),
  CONSTRAINT accounts_username_key_unique UNIQUE (username_key),
  CONSTRAINT accounts_postident_case_unique UNIQUE (postident_case),
  CONSTRAINT accounts_id_matches CHECK (doc->>'id' = id)
);

CREATE TABLE staff (
  id text PRIMARY KEY,
  doc jsonb NOT NULL,
  username_key text GENERATED ALWAYS AS (doc->>'usernameKey') STORED NOT NULL,
  CONSTRAINT staff_username_key_unique UNIQUE (username_key),
  CONSTRAINT staff_id_matches CHECK (doc->>'id' = id)
);

-- Messages persons wrote to the insurer and help requests from kiosks (kind HELP).
CREATE TABLE inbox (
  id text PRIMARY KEY,
  doc jsonb NOT NULL,
  is_help boolean GENERATED ALWAYS AS (coalesce(doc->>'kind', '') = 'HELP') STORED NOT NULL,
  terminal text GENERATED ALWAYS AS (doc->>'terminal') STORED,
  account_id text GENERATED ALWAYS AS (doc->>'accountId') STORED,
  at text GENERATED ALWAYS AS (doc->>'at') STORED NOT NULL,
  closed boolean GENERATED ALWAYS AS (doc ? 'handledAt' OR doc ? 'doneAt') STORED NOT NULL,
  CONSTRAINT inbox_id_matches CHECK (doc->>'id' = id)
);
CREATE INDEX inbox_queue ON inbox (is_help, closed, at);
CREATE INDEX inbox_account ON inbox (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX inbox_help_terminal ON inbox (terminal) WHERE is_help;

-- The register of insured persons; replaced whole by an import (a staging table swapped in).
CREATE TABLE register_persons (
  kvnr text PRIMARY KEY,
  birth_date text NOT NULL,
  name_key text NOT NULL,
  doc jsonb NOT NULL
);
CREATE INDEX register_persons_search ON register_persons (birth_date, name_key);

-- The audit trail: one hash chain for the whole branch. `line` is the sealed entry exactly as
-- the file trail writes it; the other columns are copies for the counter's look-ups.
CREATE TABLE audit_events (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  type text NOT NULL,
  subject text,
  line text NOT NULL
);
CREATE INDEX audit_events_subject ON audit_events (subject, seq DESC) WHERE subject IS NOT NULL;
CREATE INDEX audit_events_at ON audit_events (at);

-- The chain's head: one row, locked by every append, so entries are sealed one after another.
CREATE TABLE audit_head (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  seq bigint NOT NULL,
  hash text NOT NULL,
  -- HMAC over seq and hash with the audit's head key (NULL only before the first entry).
  seal text
);
INSERT INTO audit_head (seq, hash) VALUES (0, repeat('0', 64));

-- Down Migration
DROP TABLE audit_head;
DROP TABLE audit_events;
DROP TABLE register_persons;
DROP TABLE inbox;
DROP TABLE staff;
DROP TABLE accounts;
