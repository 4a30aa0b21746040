"""The local server's generated password is one neo4j-admin accepts as a value."""

from kb.neo4j_password import new_password


def test_a_generated_password_never_starts_with_a_dash():
    # token_urlsafe alone starts with "-" once in 64 draws, and neo4j-admin
    # `dbms set-initial-password -x...` then exits 64 and the first start fails.
    passwords = [new_password() for _ in range(2000)]
    assert not [p for p in passwords if p.startswith("-")]
    assert len(set(passwords)) == len(passwords) and min(map(len, passwords)) >= 24
