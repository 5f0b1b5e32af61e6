package cmd

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

const planDir = "testdata/terraform/"

// TestTerraformPlanGuard holds issue 22's bars through the CLI: a plan that
// adds s3:DeleteObject is new access for the role (exit 1 with
// --fail-on-new-access); a new role's trust in a service is new access for
// that service; renamed Sids and reordered statements are quiet; a policy
// known only after apply fails the guard naming the resource; a malformed
// plan is one line with its JSON pointer, exit 2.
func TestTerraformPlanGuard(t *testing.T) {
	guard := func(plan string, extra ...string) (int, string, string) {
		args := append([]string{"diff", "--fail-on-new-access", "--old-account-details", exampleDetails, "--terraform-plan", planDir + plan}, extra...)
		return runCLI(t, "", args...)
	}
	code, out, errs := guard("app-role-delete-object.plan.json")
	if code != exitFailed || !strings.Contains(out, "new access (1):") ||
		!regexp.MustCompile(`role/orders-api-task  s3:DeleteObject  arn:aws:s3:::acme-reports/invoices/`).MatchString(out) {
		t.Errorf("DeleteObject: exit %d\n%s%s", code, out, errs)
	}

	code, out, errs = guard("app-role.plan.json", "--format", "json")
	if code != exitFailed || !strings.Contains(out, `"principal": "ecs-tasks.amazonaws.com"`) || !strings.Contains(out, `"external": "service"`) ||
		!strings.Contains(out, `"sid": "EcsTasks"`) {
		t.Errorf("service trust: exit %d\n%s%s", code, out, errs)
	}

	code, out, errs = guard("app-role-sids.plan.json")
	if code != exitOK || !strings.Contains(out, "new access (0):") || !strings.Contains(out, "removed access (0):") {
		t.Errorf("Sid renames: exit %d\n%s%s", code, out, errs)
	}

	code, out, errs = guard("app-role-unknown-policy.plan.json")
	if code != exitFailed || !strings.Contains(errs, "aws_iam_role_policy.app") || !strings.Contains(errs, "(terraform_unknown)") ||
		!strings.Contains(errs, "known only after apply") {
		t.Errorf("unknown policy: exit %d\n%s%s", code, out, errs)
	}
	// The unknown alone fails the guard (the role and its trust exist).
	code, out, errs = guard("app-role-unknown-update.plan.json")
	if code != exitFailed || !strings.Contains(out, "new access (0):") || !strings.Contains(errs, "aws_iam_role_policy.app") {
		t.Errorf("unknown policy update: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs = guard("app-role-unknown-update.plan.json", "--terraform-allow-unknown"); code != exitOK {
		t.Errorf("unknown policy update, allowed: exit %d\n%s%s", code, out, errs)
	}
	// Allowed, the unknown is still listed; the service trust still fails.
	code, out, _ = guard("app-role-unknown-policy.plan.json", "--terraform-allow-unknown", "--format", "markdown")
	if code != exitFailed || !strings.Contains(out, "values known only after apply") || !strings.Contains(out, "aws_iam_role_policy.app") {
		t.Errorf("unknown policy, allowed: exit %d\n%s", code, out)
	}

	code, out, _ = guard("app-role-unknown-policy.plan.json", "--format", "sarif")
	if code != exitFailed || !strings.Contains(out, `"ruleId": "iam2rego/terraform-unknown"`) ||
		!strings.Contains(out, `"fullyQualifiedName": "/resource_changes/3/change/after/policy"`) {
		t.Errorf("unknown policy, SARIF: exit %d\n%s", code, out)
	}

	code, _, errs = guard("malformed-actions.plan.json")
	lines := strings.Split(strings.TrimRight(errs, "\n"), "\n")
	if code != exitBadData || len(lines) != 1 || !strings.HasPrefix(lines[0], planDir+"malformed-actions.plan.json: /resource_changes/0/change/actions: ") {
		t.Errorf("malformed plan: exit %d\n%s", code, errs)
	}
}

// TestTerraformPlanCommands: build, lint and who-can read a plan alone or
// on top of an export, and stop on unknown values unless told.
func TestTerraformPlanCommands(t *testing.T) {
	out := t.TempDir() + "/b.tar.gz"
	if code, o, e := runCLI(t, "", "build", "--terraform-plan", planDir+"app-role.plan.json", "-o", out); code != exitOK {
		t.Fatalf("build: exit %d\n%s%s", code, o, e)
	}
	code, o, e := runCLI(t, "", "who-can", "--bundle", out, "--action", "sts:AssumeRole", "--resource", "arn:aws:iam::111111111111:role/orders-api-task")
	if code != exitOK || !strings.Contains(o, "service ecs-tasks.amazonaws.com") {
		t.Errorf("who-can on the built plan: exit %d\n%s%s", code, o, e)
	}
	code, o, e = runCLI(t, "", "who-can", "--account-details", exampleDetails, "--terraform-plan", planDir+"app-role-delete-object.plan.json",
		"--action", "s3:DeleteObject", "--resource", "arn:aws:s3:::acme-reports/invoices/a.pdf", "--resource-account", "111111111111")
	if code != exitOK || !strings.Contains(o, "role/orders-api-task (role)") || !strings.Contains(o, "of 7 principals") {
		t.Errorf("who-can with a plan: exit %d\n%s%s", code, o, e)
	}
	code, o, e = runCLI(t, "", "lint", "--account-details", exampleDetails, "--terraform-plan", planDir+"app-role.plan.json")
	if code != exitOK || !strings.Contains(o, "in 13 policies") {
		t.Errorf("lint with a plan: exit %d\n%s%s", code, o, e)
	}
	for _, cmd := range [][]string{
		{"build", "-o", out},
		{"lint"},
		{"who-can", "--action", "s3:GetObject", "--resource", "*"},
	} {
		args := append(cmd, "--terraform-plan", planDir+"app-role-unknown-policy.plan.json")
		code, _, e := runCLI(t, "", args...)
		if code != exitBadData || !strings.Contains(e, "aws_iam_role_policy.app") {
			t.Errorf("%s over an unknown policy: exit %d\n%s", cmd[0], code, e)
		}
		code, _, e = runCLI(t, "", append(args, "--terraform-allow-unknown")...)
		if code != exitOK || !strings.Contains(e, "warning: aws_iam_role_policy.app") {
			t.Errorf("%s over an unknown policy, allowed: exit %d\n%s", cmd[0], code, e)
		}
	}
}

// TestREADMETerraformExamples runs the iam2rego commands of README.md's
// GitHub Actions recipe (TestREADME runs the section's $ commands) on the
// README's ECS task role plan.
func TestREADMETerraformExamples(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	ci := between(t, string(readme), "<!-- terraform-ci -->\n```yaml\n", "```\n<!-- /terraform-ci -->")
	files := strings.NewReplacer("export/account-details.json", exampleDetails, "tfplan.json", planDir+"app-role.plan.json")
	var ran int
	for _, line := range strings.Split(ci, "\n") {
		cmd, ok := strings.CutPrefix(strings.TrimSpace(line), "run: iam2rego ")
		if !ok {
			continue
		}
		cmd, _, _ = strings.Cut(cmd, " >")
		ran++
		args := strings.Fields(files.Replace(cmd))
		code, stdout, stderr := runCLI(t, "", args...)
		switch {
		case strings.Contains(cmd, "--format sarif"):
			if code != exitOK || !strings.Contains(stdout, `"ruleId": "iam2rego/new-access"`) || !strings.Contains(stdout, "ecs-tasks.amazonaws.com gains sts:AssumeRole") {
				t.Errorf("CI SARIF step: exit %d\n%s%s", code, stdout, stderr)
			}
		case strings.Contains(cmd, "--format markdown"):
			if code != exitFailed || !strings.Contains(stdout, "**6 new access**") || !strings.Contains(stdout, "(service, outside the account)") {
				t.Errorf("CI guard step: exit %d\n%s%s", code, stdout, stderr)
			}
		default:
			t.Errorf("unexpected CI command %q", cmd)
		}
	}
	if ran != 2 {
		t.Errorf("the CI recipe has %d iam2rego commands, want 2", ran)
	}
}

func between(t *testing.T, s, start, end string) string {
	t.Helper()
	_, rest, ok := strings.Cut(s, start)
	block, _, ok2 := strings.Cut(rest, end)
	if !ok || !ok2 {
		t.Fatalf("README.md lacks the block %q … %q", start, end)
	}
	return block
}

// TestTerraformPlanDiffSides: the plan alone is an account (OLD its prior
// state); a bundle OLD takes NEW from --new-account-details and the plan;
// flags that cannot apply are usage errors.
func TestTerraformPlanDiffSides(t *testing.T) {
	code, out, errs := runCLI(t, "", "diff", "--fail-on-new-access", "--format", "json", "--terraform-plan", planDir+"app-role-delete-object.plan.json")
	if code != exitFailed || !strings.Contains(out, `"action": "s3:DeleteObject"`) || !strings.Contains(out, `"old": "`+planDir+`app-role-delete-object.plan.json (prior state)"`) {
		t.Errorf("the plan alone: exit %d\n%s%s", code, out, errs)
	}

	b := t.TempDir() + "/old.tar.gz"
	if code, o, e := runCLI(t, "", "build", "--account-details", exampleDetails, "-o", b); code != exitOK {
		t.Fatalf("build: exit %d\n%s%s", code, o, e)
	}
	code, out, errs = runCLI(t, "", "diff", "--fail-on-new-access", "--new-account-details", exampleDetails, "--terraform-plan", planDir+"app-role.plan.json", b)
	if code != exitFailed || !strings.Contains(out, "new access (6):") {
		t.Errorf("a bundle OLD: exit %d\n%s%s", code, out, errs)
	}
	for _, args := range [][]string{
		{"diff", "--terraform-plan", planDir + "app-role.plan.json", b},
		{"diff", "--terraform-allow-unknown", b, b},
		{"diff", "--terraform-plan", planDir + "app-role.plan.json", "--old-account-details", exampleDetails, b},
		{"build", "--terraform-allow-unknown", "--account-details", exampleDetails, "-o", b},
		{"who-can", "--bundle", b, "--account-details", exampleDetails, "--action", "s3:GetObject", "--resource", "*"},
		{"who-can", "--action", "s3:GetObject", "--resource", "*"},
	} {
		if code, _, e := runCLI(t, "", args...); code != exitBadData || strings.Count(e, "\n") != 1 {
			t.Errorf("%v: exit %d, want 2 with one line\n%s", args, code, e)
		}
	}
}
