// title: Survey rounds and their respondents (kb survey, docs/surveys.md)
// question: A round and a respondent are found by id; a respondent's private link by the SHA-256 hash of its token.
CREATE CONSTRAINT survey_round_id IF NOT EXISTS FOR (n:SurveyRound) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT respondent_id IF NOT EXISTS FOR (n:Respondent) REQUIRE n.id IS UNIQUE;
CREATE INDEX respondent_token IF NOT EXISTS FOR (n:Respondent) ON (n.token_hash);
CREATE INDEX respondent_round IF NOT EXISTS FOR (n:Respondent) ON (n.round);
