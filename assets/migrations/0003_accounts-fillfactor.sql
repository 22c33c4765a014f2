-- Room on each page of accounts for the next version of its rows. An account change rewrites the
-- whole document (about 1.6 kB); with free space on its page PostgreSQL writes the new version
-- there and leaves the account's four indexes alone (a HOT update). On full pages every change
-- also inserted into each index and logged their pages, which made a login-failure count cost
-- several times a bare one-row update. 80 % leaves room for one more version of a typical account.
-- Pages written before this migration get the room as their rows move; `VACUUM FULL accounts` in
-- a quiet hour gives it to all of them at once.

-- Up Migration
ALTER TABLE accounts SET (fillfactor = 80);

-- Down Migration
ALTER TABLE accounts RESET (fillfactor);
