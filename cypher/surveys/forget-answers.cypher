// title: The survey answers (of other respondents) that may name a person, by id or by name, for `kb forget` to scrub
// $names: the person's name in lower case, as stored and as JSON escapes it; matched case-insensitively.
MATCH (x:Respondent)
WHERE x.person <> $id
  AND (x.answers CONTAINS $id OR any(n IN $names WHERE toLower(x.answers) CONTAINS n))
RETURN x.id AS respondent, x.answers AS answers
