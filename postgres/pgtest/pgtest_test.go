package pgtest_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"truce/postgres/pgtest"
)

// TestDSNWithout runs TestHelperDSN in a child process without
// $TRUCE_TEST_POSTGRES: it must fail under $CI or $TRUCE_REQUIRE_POSTGRES,
// and skip, saying why, otherwise.
func TestDSNWithout(t *testing.T) {
	for _, c := range []struct {
		env      []string
		fail     bool
		contains string
	}{
		{[]string{"CI=true"}, true, "requires the PostgreSQL tests"},
		{[]string{"TRUCE_REQUIRE_POSTGRES=1"}, true, "requires the PostgreSQL tests"},
		{nil, false, "skipping the PostgreSQL tests"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperDSN$", "-test.v")
		for _, kv := range os.Environ() {
			if k, _, _ := strings.Cut(kv, "="); k != pgtest.Env && k != "CI" && k != "TRUCE_REQUIRE_POSTGRES" {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		cmd.Env = append(cmd.Env, append(c.env, "TRUCE_PGTEST_HELPER=1")...)
		out, err := cmd.CombinedOutput()
		if failed := err != nil; failed != c.fail || !strings.Contains(string(out), c.contains) {
			t.Errorf("with %v: failed = %v (%v), want %v, and output with %q:\n%s", c.env, failed, err, c.fail, c.contains, out)
		}
	}
}

// TestHelperDSN is run by TestDSNWithout in a child process; run directly,
// it only checks that it was not asked to be the helper.
func TestHelperDSN(t *testing.T) {
	if os.Getenv("TRUCE_PGTEST_HELPER") == "" {
		return
	}
	pgtest.DSN(t)
	t.Log("pgtest.DSN returned")
}
