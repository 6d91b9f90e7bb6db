// The demo installation (`govproj seed --demo`, `npm start`): the organizations and one
// account per role of src/domain/demo-data.ts. Seeded once; never without --demo.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { DEMO_ORGS, DEMO_USERS } from '../domain/demo-data.ts';
import { encryptField } from '../crypto/sm4.ts';
import { generateTotpSecret } from '../crypto/totp.ts';
import { appendAuditEvent } from '../audit/writer.ts';
import type { Services } from '../services.ts';
import { auditActorFor, systemActor } from './actor.ts';
import { createUser } from './users.ts';

export interface DemoCredentials {
  password: string;
  totpSecret: string;
  accounts: Array<{ username: string; displayName: string; roles: string[]; totp: boolean }>;
}

/** A password that meets the policy: upper, lower, digit and symbol, 17 characters. */
function generateDemoPassword(): string {
  return `Gp#${randomBytes(9).toString('base64url')}7a`;
}

const MARKER = 'demo_seeded';

/** Seeds the demo unless it already was; returns null when it already was. */
export async function seedDemo(services: Services): Promise<DemoCredentials | null> {
  const password = services.config.demoPassword ?? generateDemoPassword();
  const totpSecret = services.config.demoTotpSecret ?? generateTotpSecret();
  const actor = systemActor();
  return services.database.db.transaction().execute(async (trx) => {
    // The marker row is inserted first, so two processes cannot both seed.
    const claimed = await sql`insert into system_state (key, value) values (${MARKER}, ${JSON.stringify({ at: new Date().toISOString() })}::jsonb)
      on conflict (key) do nothing returning key`.execute(trx);
    if (claimed.rows.length === 0) return null;
    const ids = new Map<string, string>();
    for (const org of DEMO_ORGS) {
      const row = await trx.insertInto('organizations').values({
        parent_id: org.parentKey ? ids.get(org.parentKey)! : null, name: org.name, name_en: org.nameEn, kind: org.kind,
        credit_code: org.creditCode, division_code: org.divisionCode,
      }).returning('id').executeTakeFirstOrThrow();
      ids.set(org.key, row.id);
      await appendAuditEvent(trx, {
        actor: auditActorFor(actor, 'system:org:create'), action: 'organization.create', objectType: 'organization',
        objectId: row.id, outcome: 'success', diff: { after: { name: org.name, creditCode: org.creditCode, demo: true } },
        requestId: null, clientAddress: 'seed',
      });
    }
    // Reviewers, approvers and the assessing, supervising and evaluating firms work on the
    // central ministries' projects in the demo: that is their custom scope.
    const ministries = DEMO_ORGS.filter((o) => o.kind === 'ministry').map((o) => ids.get(o.key)!);
    for (const u of DEMO_USERS) {
      const created = await createUser(services, actor, {
        username: u.username, displayName: u.displayName, password, phone: u.phone,
        organizationIds: u.orgKeys.map((k) => ids.get(k)!), roleCodes: [...u.roles],
      }, trx);
      await trx.updateTable('user_roles').set({ custom_organization_ids: ministries }).where('user_id', '=', created.user.id).execute();
      if (u.totp) {
        await trx.updateTable('users').set({ totp_secret_enc: encryptField(totpSecret, services.keys.field) }).where('id', '=', created.user.id).execute();
      }
    }
    return {
      password, totpSecret,
      accounts: DEMO_USERS.map((u) => ({ username: u.username, displayName: u.displayName, roles: [...u.roles], totp: u.totp })),
    };
  });
}
