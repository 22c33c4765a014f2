-- The outbound queue: mail and SMS waiting for their next try, shared by every terminal of the
-- branch, so a message stored at one terminal is sent by whichever gets to it first and given-up
-- messages show at every counter. The content is sealed in the document; the columns are what
-- scheduling and the counter's list read.

-- Up Migration
CREATE TABLE outbound (
  id text PRIMARY KEY,
  account_id text,
  state text NOT NULL,
  next_attempt_at text NOT NULL,
  gave_up_at text,
  doc jsonb NOT NULL,
  CONSTRAINT outbound_id_matches CHECK (doc->>'id' = id)
);
CREATE INDEX outbound_due ON outbound (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX outbound_gave_up ON outbound (gave_up_at) WHERE state = 'GAVE_UP';
CREATE INDEX outbound_account ON outbound (account_id);

-- Down Migration
DROP TABLE outbound;
