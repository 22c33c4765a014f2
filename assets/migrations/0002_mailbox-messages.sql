-- The secure mailbox's messages leave the account document: a login rewrites the account, not its messages.

-- Up Migration
CREATE TABLE mailbox_messages (
  account_id text NOT NULL,
  id text NOT NULL,
  added bigserial NOT NULL,
  doc jsonb NOT NULL,
  PRIMARY KEY (account_id, id),
  CONSTRAINT mailbox_messages_id_matches CHECK (doc->>'id' = id)
);
CREATE INDEX mailbox_messages_order ON mailbox_messages (account_id, added);

-- Down Migration
DROP TABLE mailbox_messages;
