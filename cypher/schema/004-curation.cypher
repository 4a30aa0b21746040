// title: Curation: users, changes and sign-in back-off (kb/services/access.py, kb/services/curation.py)
// question: Users are unique by name; changes by id and found by the record they changed; a saved query by (user, name).
CREATE CONSTRAINT user_name IF NOT EXISTS FOR (n:User) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT change_id IF NOT EXISTS FOR (n:Change) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT sign_in_backoff_key IF NOT EXISTS FOR (n:SignInBackoff) REQUIRE n.key IS UNIQUE;
CREATE INDEX change_record IF NOT EXISTS FOR (n:Change) ON (n.record_id);
CREATE CONSTRAINT saved_query_user_name IF NOT EXISTS FOR (n:SavedQuery) REQUIRE (n.user, n.name) IS UNIQUE;
