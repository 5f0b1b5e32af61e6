package accountgen

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/iam2rego/iam2rego/translator/managed"
)

// Config says what to generate. The same Config always gives the same
// bytes.
type Config struct {
	Seed uint64
	// Principals is the number of IAM users and roles, over all accounts
	// (at least 1).
	Principals int
	// Accounts is the number of member accounts with principals; 0 means
	// one per started thousand principals.
	Accounts int
	// Coverage is the fraction of the embedded AWS managed policies that is
	// attached somewhere; 0 means min(1, Principals/5000), so that every
	// one of them is attached at 5,000 principals.
	Coverage float64
	// OmitAWSManaged leaves AWS managed policies out of the Policies list
	// of the exports; iam2rego then resolves them from its embedded
	// snapshot. By default they are exported, as the AWS CLI does.
	OmitAWSManaged bool
}

// LargestPrincipals is the largest size the benchmarks generate.
const LargestPrincipals = 5000

// Principal is one generated user or role, with what the benchmarks need
// to choose and query it.
type Principal struct {
	ARN     string `json:"arn"`
	Name    string `json:"name"`
	Kind    string `json:"kind"` // "user" or "role"
	Account string `json:"account"`
	// Team is the value of the principal's "team" tag ("" for none).
	Team string `json:"team,omitempty"`
	// Policies and Statements count the documents and statements that
	// apply to the principal: its inline and managed policies, those of
	// its groups, and its permissions boundary.
	Policies   int `json:"policies"`
	Statements int `json:"statements"`
}

// Set is a generated organization: one account-details export per member
// account, the organization file and the resource-policy file.
type Set struct {
	Config     Config
	Accounts   []string // member account ids with principals, in generation order
	Principals []Principal

	exports   []*gaadFile
	org       *orgFile
	resources *resourcesFile
	attached  map[string]bool // AWS managed policy ARNs attached somewhere
}

// Generate builds a Set in memory.
func Generate(cfg Config) (*Set, error) {
	if cfg.Principals < 1 {
		return nil, fmt.Errorf("accountgen: Principals must be at least 1, got %d", cfg.Principals)
	}
	if cfg.Accounts == 0 {
		cfg.Accounts = (cfg.Principals + 999) / 1000
	}
	if cfg.Accounts < 1 || cfg.Accounts > cfg.Principals {
		return nil, fmt.Errorf("accountgen: Accounts must be between 1 and Principals, got %d", cfg.Accounts)
	}
	if cfg.Coverage == 0 {
		cfg.Coverage = math.Min(1, float64(cfg.Principals)/LargestPrincipals)
	}
	if cfg.Coverage < 0 || cfg.Coverage > 1 {
		return nil, fmt.Errorf("accountgen: Coverage must be in (0, 1], got %g", cfg.Coverage)
	}
	g := &generator{cfg: cfg, r: newRNG(cfg.Seed, 0), set: &Set{Config: cfg, attached: map[string]bool{}}}
	g.run()
	return g.set, nil
}

// AttachedAWSManaged returns the AWS managed policy ARNs attached to some
// user, group or role (directly or as a boundary), sorted.
func (s *Set) AttachedAWSManaged() []string {
	out := make([]string, 0, len(s.attached))
	for a := range s.attached {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

type generator struct {
	cfg     Config
	r       *rng
	set     *Set
	orgID   string
	mgmt    string
	partner string // an account outside the organization
	accts   []*acctGen
}

// acctGen is the state of one member account.
type acctGen struct {
	g        *generator
	r        *rng
	id, name string
	kind     string // prod, nonprod, sandbox, infra
	region   string
	teams    []string
	teamApps map[string][]string
	file     *gaadFile
	pool     []*custPolicy
	byTeam   map[string][]*custPolicy
	byARN    map[string]*custPolicy
	names    map[string]bool // lower-cased user, role and group names
	groups   []*gaadGroup
	svcRoles []*gaadRole
	others   []attachable // users, groups and roles that may take more policies
	aws      map[string]bool
	// coverage work: AWS managed policies this account must attach.
	slrPolicies, svcPolicies, otherPolicies []string
	principals                              int
}

type custPolicy struct {
	name, path, arn string
	doc             *Doc
	versions        int
	created         string
	attach, bound   int
}

type attachable struct {
	list *[]*gaadAttached
	kind string
}

func (g *generator) run() {
	r := g.r
	g.orgID = "o-" + r.lower(10)
	g.mgmt = r.accountID()
	g.partner = r.accountID()
	seen := map[string]bool{g.mgmt: true, g.partner: true}
	kinds := []string{"prod", "nonprod", "prod", "sandbox", "infra"}
	for i := 0; i < g.cfg.Accounts; i++ {
		id := r.accountID()
		for seen[id] {
			id = r.accountID()
		}
		seen[id] = true
		a := &acctGen{g: g, r: newRNG(g.cfg.Seed, uint64(i)+1), id: id, kind: kinds[i%len(kinds)],
			file:  &gaadFile{UserDetailList: []*gaadUser{}, GroupDetailList: []*gaadGroup{}, RoleDetailList: []*gaadRole{}, Policies: []*gaadPolicy{}},
			byARN: map[string]*custPolicy{}, names: map[string]bool{}, aws: map[string]bool{}}
		a.name = a.kind + "-" + itoa(i+1)
		a.region = regions[i%len(regions)]
		a.principals = g.cfg.Principals / g.cfg.Accounts
		if i < g.cfg.Principals%g.cfg.Accounts {
			a.principals++
		}
		g.accts = append(g.accts, a)
		g.set.Accounts = append(g.set.Accounts, id)
	}
	g.distributeCoverage()
	res := &resourcesFile{Resources: []*resourceEntry{}}
	for _, a := range g.accts {
		a.generate()
		a.fitLimits()
		res.Resources = append(res.Resources, a.resources()...)
		g.set.exports = append(g.set.exports, a.file)
		for arn := range a.aws {
			g.set.attached[arn] = true
		}
	}
	g.set.resources = res
	g.set.org = g.organization()
	g.set.Principals = principalsOf(g.accts)
}

// distributeCoverage deals the AWS managed policies to attach over the
// accounts: a seeded shuffle of the snapshot, the first Coverage share of
// it, split by what kind of principal takes each policy.
func (g *generator) distributeCoverage() {
	arns := managed.ARNs()
	perm := g.r.Perm(len(arns))
	n := int(math.Round(g.cfg.Coverage * float64(len(arns))))
	for i := 0; i < n; i++ {
		arn := arns[perm[i]]
		a := g.accts[i%len(g.accts)]
		path, _, _ := managed.SplitARN(arn)
		switch path {
		case "/aws-service-role/":
			a.slrPolicies = append(a.slrPolicies, arn)
		case "/service-role/":
			a.svcPolicies = append(a.svcPolicies, arn)
		default:
			a.otherPolicies = append(a.otherPolicies, arn)
		}
	}
}

func (a *acctGen) generate() {
	r := a.r
	a.teams = sample(r, teams, min(len(teams), max(2, a.principals/60)))
	a.teamApps = map[string][]string{}
	for _, t := range a.teams {
		a.teamApps[t] = sample(r, apps, r.between(2, 3))
	}
	// Service-linked roles: one per service-role policy to cover, but at
	// most 30% of the account's principals.
	nSLR := min(len(a.slrPolicies), a.principals*3/10)
	if nSLR == 0 && len(a.slrPolicies) > 0 && a.principals >= 2 {
		nSLR = 1
	}
	rest := a.principals - nSLR
	nUsers := int(math.Round(0.4 * float64(rest)))
	nRoles := rest - nUsers
	if nRoles == 0 && nSLR == 0 && len(a.slrPolicies) > 0 {
		// A single principal: make it a role so that it can take them.
		nUsers, nRoles = 0, 1
	}
	a.makePool(max(4, a.principals/4))
	a.makeGroups(nUsers)
	for i := 0; i < nUsers; i++ {
		a.user()
	}
	for i := 0; i < nRoles; i++ {
		a.role(i)
	}
	for i := 0; i < nSLR; i++ {
		a.serviceLinkedRole(i, nSLR)
	}
	a.cover()
	a.policies()
}

// env returns the naming environment of a team.
func (a *acctGen) env(team, app string) *env {
	return &env{account: a.id, region: a.region, team: team, app: app, org: "acme", apps: a.teamApps[team]}
}

// teamApp picks an application of the team.
func (a *acctGen) teamApp(team string) string {
	if apps := a.teamApps[team]; len(apps) > 0 {
		return pick(a.r, apps)
	}
	return pick(a.r, apps)
}

// makePool creates the customer managed policies of the account.
func (a *acctGen) makePool(n int) {
	r := a.r
	add := func(name, path string, doc *Doc) *custPolicy {
		p := &custPolicy{name: name, path: path, arn: "arn:aws:iam::" + a.id + ":policy" + path + name, doc: doc,
			versions: r.between(1, 5), created: r.date()}
		a.pool = append(a.pool, p)
		a.byARN[p.arn] = p
		return p
	}
	add("RequireMFA", "/", forceMFA(a.id))
	add("DeveloperBoundary", "/boundaries/", developerBoundary(a.id, "DeveloperBoundary"))
	add("AppRoleBoundary", "/boundaries/", appBoundary())
	used := map[string]bool{}
	for len(a.pool) < n {
		team := pick(r, a.teams)
		app := a.teamApp(team)
		name := team + "-" + app + "-" + pick(r, []string{"access", "read", "write", "ops", "deploy", "pipeline", "admin", "support"})
		if used[name] {
			name += "-" + itoa(len(a.pool))
		}
		used[name] = true
		path := "/"
		if r.chance(0.3) {
			path = "/teams/" + team + "/"
		}
		p := add(name, path, customerPolicy(r, a.env(team, app)))
		if a.byTeam == nil {
			a.byTeam = map[string][]*custPolicy{}
		}
		a.byTeam[team] = append(a.byTeam[team], p)
	}
}

// customer picks a customer managed policy, popular ones more often; the
// first three (MFA, boundaries) are attached on purpose only.
func (a *acctGen) customer() *custPolicy {
	if len(a.pool) <= 3 {
		return nil
	}
	return a.pool[3+a.r.zipf(len(a.pool)-3)]
}

// customerFor picks a customer managed policy for a member of team: most
// often one of the team's own.
func (a *acctGen) customerFor(team string) *custPolicy {
	if mine := a.byTeam[team]; len(mine) > 0 && a.r.chance(0.7) {
		return mine[a.r.zipf(len(mine))]
	}
	return a.customer()
}

func (a *acctGen) attachCustomer(list *[]*gaadAttached, p *custPolicy) {
	if p != nil && attach(list, p.arn, p.name) {
		p.attach++
	}
}

func (a *acctGen) attachAWS(list *[]*gaadAttached, name string) {
	arn := "arn:aws:iam::aws:policy/" + name
	if !managed.Has(arn) {
		return
	}
	if attach(list, arn, baseName(arn)) {
		a.aws[arn] = true
	}
}

// attach adds a managed policy unless it is there already or the entity
// has reached AWS's default quota of 10 managed policies.
func attach(list *[]*gaadAttached, arn, name string) bool {
	if len(*list) >= 10 {
		return false
	}
	for _, x := range *list {
		if x.PolicyArn == arn {
			return false
		}
	}
	*list = append(*list, &gaadAttached{PolicyName: name, PolicyArn: arn})
	return true
}

func baseName(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

// unique returns name, or name with a number, unused in the account.
func (a *acctGen) unique(name string) string {
	n := name
	for i := 2; a.names[strings.ToLower(n)]; i++ {
		n = name + itoa(i)
	}
	a.names[strings.ToLower(n)] = true
	return n
}

func (a *acctGen) makeGroups(nUsers int) {
	if nUsers == 0 {
		return
	}
	r := a.r
	mk := func(name, path string) *gaadGroup {
		name = a.unique(name)
		g := &gaadGroup{Path: path, GroupName: name, GroupID: r.uniqueID("AGPA"), Arn: "arn:aws:iam::" + a.id + ":group" + path + name,
			CreateDate: r.date(), GroupPolicyList: []*gaadInline{}, AttachedManagedPolicies: []*gaadAttached{}}
		a.groups = append(a.groups, g)
		a.file.GroupDetailList = append(a.file.GroupDetailList, g)
		a.others = append(a.others, attachable{&g.AttachedManagedPolicies, "group"})
		return g
	}
	all := mk("AllUsers", "/")
	a.attachCustomer(&all.AttachedManagedPolicies, a.pool[0])
	a.attachAWS(&all.AttachedManagedPolicies, "IAMUserChangePassword")
	a.attachAWS(&mk("Admins", "/").AttachedManagedPolicies, "AdministratorAccess")
	a.attachAWS(&mk("ReadOnly", "/").AttachedManagedPolicies, "ReadOnlyAccess")
	a.attachAWS(&mk("Billing", "/").AttachedManagedPolicies, "job-function/Billing")
	for _, team := range a.teams {
		if len(a.groups) >= 4+max(1, nUsers/15) {
			break
		}
		g := mk(team+"-developers", "/teams/")
		for i, n := 0, r.between(1, 3); i < n; i++ {
			a.attachCustomer(&g.AttachedManagedPolicies, a.customerFor(team))
		}
		for i, n := 0, r.between(0, 2); i < n; i++ {
			a.attachAWS(&g.AttachedManagedPolicies, popularHuman[r.zipf(len(popularHuman))])
		}
		if r.chance(0.4) {
			g.GroupPolicyList = append(g.GroupPolicyList, &gaadInline{PolicyName: team + "-inline", PolicyDocument: customerPolicy(r, a.env(team, a.teamApp(team)))})
		}
	}
}

func (a *acctGen) boundary(arn string) *gaadBoundary {
	if p := a.byARN[arn]; p != nil {
		p.bound++
	} else {
		a.aws[arn] = true
	}
	return &gaadBoundary{PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: arn}
}

func (a *acctGen) tags(team string, extra ...gaadTag) []gaadTag {
	r := a.r
	t := []gaadTag{{Key: "team", Value: team}}
	if r.chance(0.8) {
		t = append(t, gaadTag{Key: "env", Value: pick(r, envs)})
	}
	if r.chance(0.5) {
		t = append(t, gaadTag{Key: "cost-center", Value: pick(r, costCenters)})
	}
	return append(t, extra...)
}

func (a *acctGen) user() {
	r := a.r
	team := pick(r, a.teams)
	name := a.unique(pick(r, first) + "." + pick(r, last))
	path := "/"
	if r.chance(0.3) {
		path = "/engineering/" + team + "/"
	}
	u := &gaadUser{Path: path, UserName: name, UserID: r.uniqueID("AIDA"), Arn: "arn:aws:iam::" + a.id + ":user" + path + name,
		CreateDate: r.date(), GroupList: []string{}, AttachedManagedPolicies: []*gaadAttached{}, Tags: a.tags(team)}
	if len(a.groups) > 0 {
		if r.chance(0.8) {
			u.GroupList = append(u.GroupList, a.groups[0].GroupName)
		}
		// The team's developer group when there is one, and now and then a
		// functional group.
		for _, g := range a.groups[4:] {
			if g.GroupName == team+"-developers" {
				u.GroupList = append(u.GroupList, g.GroupName)
			}
		}
		if r.chance(0.15) {
			g := a.groups[1+r.zipf(min(3, len(a.groups)-1))]
			if !contains(u.GroupList, g.GroupName) {
				u.GroupList = append(u.GroupList, g.GroupName)
			}
		}
	}
	for i, n := 0, r.between(0, 2); i < n; i++ {
		a.attachCustomer(&u.AttachedManagedPolicies, a.customerFor(team))
	}
	for i, n := 0, r.between(0, 2); i < n; i++ {
		a.attachAWS(&u.AttachedManagedPolicies, popularHuman[r.zipf(len(popularHuman))])
	}
	if r.chance(0.25) {
		doc := customerPolicy(r, a.env(team, a.teamApp(team)))
		if r.chance(0.3) {
			doc = newDoc(homeFolder(r, a.env(team, ""))...)
		}
		u.UserPolicyList = append(u.UserPolicyList, &gaadInline{PolicyName: name + "-inline", PolicyDocument: doc})
	}
	switch x := r.Float64(); {
	case x < 0.03:
		u.PermissionsBoundary = a.boundary("arn:aws:iam::aws:policy/PowerUserAccess")
	case x < 0.15:
		u.PermissionsBoundary = a.boundary(a.pool[1].arn)
	}
	a.file.UserDetailList = append(a.file.UserDetailList, u)
	a.others = append(a.others, attachable{&u.AttachedManagedPolicies, "user"})
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func (a *acctGen) newRole(name, path string, trust *Doc, tags []gaadTag) *gaadRole {
	r := a.r
	name = a.unique(name)
	ro := &gaadRole{Path: path, RoleName: name, RoleID: r.uniqueID("AROA"), Arn: "arn:aws:iam::" + a.id + ":role" + path + name,
		CreateDate: r.date(), AssumeRolePolicyDocument: trust, InstanceProfileList: []*gaadInstanceProfile{},
		RolePolicyList: []*gaadInline{}, AttachedManagedPolicies: []*gaadAttached{}, Tags: tags}
	if ro.Tags == nil {
		ro.Tags = []gaadTag{}
	}
	if r.chance(0.7) {
		ro.RoleLastUsed = gaadLastUsed{LastUsedDate: r.date(), Region: a.region}
	}
	a.file.RoleDetailList = append(a.file.RoleDetailList, ro)
	return ro
}

// role makes the i-th ordinary role: service roles, IAM Identity Center
// roles, CI roles, cross-account roles and the organization access role.
func (a *acctGen) role(i int) {
	r := a.r
	team := pick(r, a.teams)
	app := a.teamApp(team)
	e := a.env(team, app)
	switch x := r.Float64(); {
	case i == 0:
		ro := a.newRole("OrganizationAccountAccessRole", "/", newDoc(Stmt{Effect: "Allow",
			Principal: map[string]any{"AWS": "arn:aws:iam::" + a.g.mgmt + ":root"}, Action: "sts:AssumeRole"}), nil)
		a.attachAWS(&ro.AttachedManagedPolicies, "AdministratorAccess")
	case x < 0.45:
		a.serviceRole(team, app, e)
	case x < 0.55:
		sets := []struct{ name, policy string }{{"AdministratorAccess", "AdministratorAccess"}, {"ReadOnly", "ReadOnlyAccess"},
			{"PowerUser", "PowerUserAccess"}, {"DataScientist", "job-function/DataScientist"}, {"Billing", "job-function/Billing"},
			{"ViewOnly", "job-function/ViewOnlyAccess"}, {"SecurityAudit", "SecurityAudit"}}
		set := sets[r.zipf(len(sets))]
		provider := "arn:aws:iam::" + a.id + ":saml-provider/AWSSSO_" + r.hex(16) + "_DO_NOT_DELETE"
		ro := a.newRole("AWSReservedSSO_"+set.name+"_"+r.hex(16), "/aws-reserved/sso.amazonaws.com/", newDoc(Stmt{Effect: "Allow",
			Principal: map[string]any{"Federated": provider}, Action: []string{"sts:AssumeRoleWithSAML", "sts:TagSession"},
			Condition: map[string]any{"StringEquals": map[string]any{"SAML:aud": "https://signin.aws.amazon.com/saml"}}}), nil)
		a.attachAWS(&ro.AttachedManagedPolicies, set.policy)
		if r.chance(0.5) {
			ro.RolePolicyList = append(ro.RolePolicyList, &gaadInline{PolicyName: "AwsSSOInlinePolicy", PolicyDocument: customerPolicy(r, e)})
		}
		a.others = append(a.others, attachable{&ro.AttachedManagedPolicies, "role"})
	case x < 0.7:
		ro := a.newRole("github-actions-"+app+"-deploy", "/ci/", newDoc(Stmt{Effect: "Allow",
			Principal: map[string]any{"Federated": "arn:aws:iam::" + a.id + ":oidc-provider/token.actions.githubusercontent.com"},
			Action:    "sts:AssumeRoleWithWebIdentity",
			Condition: map[string]any{
				"StringEquals": map[string]any{"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
				"StringLike":   map[string]any{"token.actions.githubusercontent.com:sub": "repo:acme/" + app + ":*"},
			}}), a.tags(team, gaadTag{Key: "app", Value: app}))
		for j, n := 0, r.between(1, 3); j < n; j++ {
			a.attachCustomer(&ro.AttachedManagedPolicies, a.customerFor(team))
		}
		if r.chance(0.2) {
			a.attachAWS(&ro.AttachedManagedPolicies, "PowerUserAccess")
		}
		a.others = append(a.others, attachable{&ro.AttachedManagedPolicies, "role"})
	case x < 0.82:
		other := a.g.partner
		if len(a.g.accts) > 1 && r.chance(0.6) {
			other = pick(r, a.g.accts).id
		}
		cond := map[string]any{"StringEquals": map[string]any{"sts:ExternalId": r.hex(24)}}
		if r.chance(0.5) {
			cond = map[string]any{"Bool": map[string]any{"aws:MultiFactorAuthPresent": "true"}}
		}
		ro := a.newRole(team+"-"+app+"-cross-account", "/", newDoc(Stmt{Effect: "Allow",
			Principal: map[string]any{"AWS": "arn:aws:iam::" + other + ":root"}, Action: "sts:AssumeRole", Condition: cond}),
			a.tags(team))
		a.attachCustomer(&ro.AttachedManagedPolicies, a.customerFor(team))
		a.attachAWS(&ro.AttachedManagedPolicies, popularHuman[r.zipf(len(popularHuman))])
		a.others = append(a.others, attachable{&ro.AttachedManagedPolicies, "role"})
	default:
		ro := a.newRole(team+"-"+pick(r, []string{"admin", "operator", "oncall", "breakglass"}), "/", newDoc(Stmt{Effect: "Allow",
			Principal: map[string]any{"AWS": "arn:aws:iam::" + a.id + ":root"}, Action: []string{"sts:AssumeRole", "sts:TagSession"},
			Condition: map[string]any{"Bool": map[string]any{"aws:MultiFactorAuthPresent": "true"},
				"NumericLessThan": map[string]any{"aws:MultiFactorAuthAge": "3600"}}}), a.tags(team))
		for j, n := 0, r.between(1, 4); j < n; j++ {
			a.attachCustomer(&ro.AttachedManagedPolicies, a.customerFor(team))
		}
		for j, n := 0, r.between(0, 3); j < n; j++ {
			a.attachAWS(&ro.AttachedManagedPolicies, popularHuman[r.zipf(len(popularHuman))])
		}
		if r.chance(0.3) {
			ro.RolePolicyList = append(ro.RolePolicyList, &gaadInline{PolicyName: "extra", PolicyDocument: customerPolicy(r, e)})
		}
		if r.chance(0.2) {
			ro.PermissionsBoundary = a.boundary(a.pool[1].arn)
		}
		a.others = append(a.others, attachable{&ro.AttachedManagedPolicies, "role"})
	}
}

// serviceRole is a role a service assumes (Lambda, ECS tasks, EC2, …).
func (a *acctGen) serviceRole(team, app string, e *env) {
	r := a.r
	kinds := []struct{ svc, principal, short string }{
		{"lambda", "lambda.amazonaws.com", "lambda"}, {"lambda", "lambda.amazonaws.com", "lambda"},
		{"ecs", "ecs-tasks.amazonaws.com", "task"}, {"ec2", "ec2.amazonaws.com", "ec2"},
		{"states", "states.amazonaws.com", "sfn"}, {"glue", "glue.amazonaws.com", "glue"},
		{"sagemaker", "sagemaker.amazonaws.com", "sagemaker"},
	}
	k := pick(r, kinds)
	st := Stmt{Effect: "Allow", Principal: map[string]any{"Service": k.principal}, Action: "sts:AssumeRole"}
	if r.chance(0.3) {
		st.Condition = map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": a.id}}
	}
	path := "/"
	if r.chance(0.3) {
		path = "/service-role/"
	}
	ro := a.newRole(team+"-"+app+"-"+k.short+"-role", path, newDoc(st), a.tags(team, gaadTag{Key: "app", Value: app}))
	switch k.svc {
	case "lambda":
		a.attachAWS(&ro.AttachedManagedPolicies, "service-role/AWSLambdaBasicExecutionRole")
		if r.chance(0.3) {
			a.attachAWS(&ro.AttachedManagedPolicies, "service-role/AWSLambdaVPCAccessExecutionRole")
		}
	case "ecs":
		a.attachAWS(&ro.AttachedManagedPolicies, "service-role/AmazonECSTaskExecutionRolePolicy")
	case "ec2":
		a.attachAWS(&ro.AttachedManagedPolicies, "AmazonSSMManagedInstanceCore")
		a.attachAWS(&ro.AttachedManagedPolicies, "CloudWatchAgentServerPolicy")
		ro.InstanceProfileList = append(ro.InstanceProfileList, &gaadInstanceProfile{Path: path, InstanceProfileName: ro.RoleName,
			InstanceProfileID: r.uniqueID("AIPA"), Arn: "arn:aws:iam::" + a.id + ":instance-profile" + path + ro.RoleName, CreateDate: ro.CreateDate,
			Roles: []*gaadRoleStub{{Path: ro.Path, RoleName: ro.RoleName, RoleID: ro.RoleID, Arn: ro.Arn, CreateDate: ro.CreateDate, AssumeRolePolicyDocument: ro.AssumeRolePolicyDocument}}})
	case "glue":
		a.attachAWS(&ro.AttachedManagedPolicies, "service-role/AWSGlueServiceRole")
	}
	if r.chance(0.3) {
		a.attachAWS(&ro.AttachedManagedPolicies, popularService[r.zipf(len(popularService))])
	}
	for j, n := 0, r.between(0, 2); j < n; j++ {
		a.attachCustomer(&ro.AttachedManagedPolicies, a.customerFor(team))
	}
	if r.chance(0.6) {
		ro.RolePolicyList = append(ro.RolePolicyList, &gaadInline{PolicyName: app + "-access", PolicyDocument: customerPolicy(r, e)})
	}
	if r.chance(0.2) {
		ro.PermissionsBoundary = a.boundary(a.pool[2].arn)
	}
	a.svcRoles = append(a.svcRoles, ro)
}

// serviceLinkedRole is the i-th of n service-linked roles; it takes its
// share of the account's aws-service-role policies.
func (a *acctGen) serviceLinkedRole(i, n int) {
	var mine []string
	for j := i; j < len(a.slrPolicies); j += n {
		mine = append(mine, a.slrPolicies[j])
	}
	svc := servicePrincipalOf(mine[0])
	name := "AWSServiceRoleFor" + strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(baseName(mine[0]), "Policy"), "ServiceRole"), "ServiceLinkedRole")
	ro := a.newRole(name, "/aws-service-role/"+svc+"/", newDoc(Stmt{Effect: "Allow",
		Principal: map[string]any{"Service": svc}, Action: "sts:AssumeRole"}), nil)
	for _, arn := range mine {
		if attachForce(&ro.AttachedManagedPolicies, arn) {
			a.aws[arn] = true
		}
	}
}

// attachForce attaches past the default quota (up to the raisable 20),
// for coverage.
func attachForce(list *[]*gaadAttached, arn string) bool {
	for _, x := range *list {
		if x.PolicyArn == arn {
			return true
		}
	}
	if len(*list) >= 20 {
		return false
	}
	*list = append(*list, &gaadAttached{PolicyName: baseName(arn), PolicyArn: arn})
	return true
}

// servicePrincipalOf guesses the service principal of a service-linked
// role from its policy: the service prefix its statements use most.
func servicePrincipalOf(arn string) string {
	doc, _, _ := managed.Lookup(arn)
	count := map[string]int{}
	best, bestN := "", 0
	for _, st := range statementsOf(doc) {
		for _, act := range StringsOf(st["Action"]) {
			svc, _, ok := strings.Cut(strings.ToLower(act), ":")
			if !ok || svc == "iam" || svc == "sts" || svc == "logs" || svc == "cloudwatch" || svc == "ec2" || svc == "kms" {
				continue
			}
			count[svc]++
			if count[svc] > bestN || count[svc] == bestN && svc < best {
				best, bestN = svc, count[svc]
			}
		}
	}
	if best == "" {
		best = "ec2"
	}
	return best + ".amazonaws.com"
}

// cover attaches the AWS managed policies dealt to this account that are
// not attached yet: service-role policies to service roles, the rest to
// users, groups and roles, spread at random.
func (a *acctGen) cover() {
	r := a.r
	place := func(arn string, targets []attachable) {
		if a.aws[arn] || len(targets) == 0 {
			return
		}
		for try := 0; try < 8; try++ {
			t := targets[r.IntN(len(targets))]
			if attach(t.list, arn, baseName(arn)) {
				a.aws[arn] = true
				return
			}
		}
		for _, t := range targets {
			if attachForce(t.list, arn) {
				a.aws[arn] = true
				return
			}
		}
	}
	var svc []attachable
	for _, ro := range a.svcRoles {
		svc = append(svc, attachable{&ro.AttachedManagedPolicies, "role"})
	}
	if len(svc) == 0 {
		svc = a.others
	}
	for _, arn := range a.svcPolicies {
		place(arn, svc)
	}
	targets := a.others
	if len(targets) == 0 {
		targets = svc
	}
	for _, arn := range a.otherPolicies {
		place(arn, targets)
	}
	// With no service-linked role to take them (a tiny account), the
	// service-linked policies go wherever there is room.
	if len(a.slrPolicies) > 0 {
		all := append(append([]attachable(nil), targets...), svc...)
		for _, arn := range a.slrPolicies {
			place(arn, all)
		}
	}
}

// policies writes the Policies list: customer managed policies with their
// versions (the default one is the document used), then the attached AWS
// managed policies unless they are omitted.
func (a *acctGen) policies() {
	r := a.r
	for _, p := range a.pool {
		if p.attach == 0 && p.bound == 0 && r.chance(0.5) {
			continue // unattached policies are listed too, but not all of them
		}
		gp := &gaadPolicy{PolicyName: p.name, PolicyID: r.uniqueID("ANPA"), Arn: p.arn, Path: p.path,
			DefaultVersionID: "v" + itoa(p.versions), AttachmentCount: p.attach, PermissionsBoundaryUsageCount: p.bound,
			IsAttachable: true, CreateDate: p.created, UpdateDate: p.created}
		for v := p.versions; v >= 1; v-- {
			doc := p.doc
			if v != p.versions {
				// Older versions: an earlier, broader draft.
				doc = newDoc(p.doc.Statement[:1+r.IntN(len(p.doc.Statement))]...)
			}
			gp.PolicyVersionList = append(gp.PolicyVersionList, &gaadVersion{Document: doc, VersionID: "v" + itoa(v),
				IsDefaultVersion: v == p.versions, CreateDate: p.created})
		}
		a.file.Policies = append(a.file.Policies, gp)
	}
	if a.g.cfg.OmitAWSManaged {
		return
	}
	arns := make([]string, 0, len(a.aws))
	for arn := range a.aws {
		arns = append(arns, arn)
	}
	sort.Strings(arns)
	for _, arn := range arns {
		doc, name, _ := managed.Lookup(arn)
		path, _, _ := managed.SplitARN(arn)
		v := managed.Version(arn)
		// Dates from the ARN, not from r: omitting these entries must not
		// change anything else.
		created := epoch.AddDate(0, 0, int(keyID(arn)[0])*7).Format("2006-01-02T15:04:05+00:00")
		a.file.Policies = append(a.file.Policies, &gaadPolicy{PolicyName: name, PolicyID: "ANPA" + strings.ToUpper(keyID(arn)[:8]+keyID(name)[:9]),
			Arn: arn, Path: path, DefaultVersionID: v, AttachmentCount: 1, IsAttachable: true, CreateDate: created, UpdateDate: created,
			PolicyVersionList: []*gaadVersion{{Document: doc, VersionID: v, IsDefaultVersion: true, CreateDate: created}}})
	}
}

// principalsOf lists every user and role with its policy and statement
// counts, in account then generation order.
func principalsOf(accts []*acctGen) []Principal {
	var out []Principal
	for _, a := range accts {
		groups := map[string]*gaadGroup{}
		for _, g := range a.groups {
			groups[g.GroupName] = g
		}
		count := func(c *counter, inline []*gaadInline, att []*gaadAttached) {
			for _, p := range inline {
				c.add(len(p.PolicyDocument.(*Doc).Statement))
			}
			for _, m := range att {
				c.add(a.statements(m.PolicyArn))
			}
		}
		for _, u := range a.file.UserDetailList {
			var c counter
			count(&c, u.UserPolicyList, u.AttachedManagedPolicies)
			for _, gn := range u.GroupList {
				count(&c, groups[gn].GroupPolicyList, groups[gn].AttachedManagedPolicies)
			}
			if u.PermissionsBoundary != nil {
				c.add(a.statements(u.PermissionsBoundary.PermissionsBoundaryArn))
			}
			out = append(out, Principal{ARN: u.Arn, Name: u.UserName, Kind: "user", Account: a.id, Team: tagValue(u.Tags, "team"), Policies: c.policies, Statements: c.statements})
		}
		for _, ro := range a.file.RoleDetailList {
			var c counter
			count(&c, ro.RolePolicyList, ro.AttachedManagedPolicies)
			if ro.PermissionsBoundary != nil {
				c.add(a.statements(ro.PermissionsBoundary.PermissionsBoundaryArn))
			}
			out = append(out, Principal{ARN: ro.Arn, Name: ro.RoleName, Kind: "role", Account: a.id, Team: tagValue(ro.Tags, "team"), Policies: c.policies, Statements: c.statements})
		}
	}
	return out
}

type counter struct{ policies, statements int }

func (c *counter) add(stmts int) { c.policies++; c.statements += stmts }

func (a *acctGen) statements(arn string) int {
	if p := a.byARN[arn]; p != nil {
		return len(p.doc.Statement)
	}
	return awsStatements()[arn]
}

// awsStatements counts the statements of every AWS managed policy.
var awsStatements = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	for _, arn := range managed.ARNs() {
		doc, _, _ := managed.Lookup(arn)
		m[arn] = len(statementsOf(doc))
	}
	return m
})

func tagValue(tags []gaadTag, key string) string {
	for _, t := range tags {
		if t.Key == key {
			return t.Value
		}
	}
	return ""
}
