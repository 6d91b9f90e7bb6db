// What every signed decision needs (SPEC §10): a fresh TOTP code from the deciding user (step-up)
// and an SM2 signature with that user's key over the exact canonical text that is stored beside
// it. Shared by lifecycle decisions (第七条–第九条) and 孤网例外决定 (第二十八条).
import { AppError } from '../errors.ts';
import { sm2Sign } from '../crypto/sm2.ts';
import { decryptField } from '../crypto/sm4.ts';
import { verifyTotp } from '../crypto/totp.ts';
import type { Tx } from '../db/database.ts';
import type { Services } from '../services.ts';
import type { Actor } from './actor.ts';

/**
 * Checks a fresh TOTP code of the acting user inside the decision's transaction: 401
 * auth.totp_required without one, auth.totp_invalid for a wrong or reused one. The user row is
 * locked, so one code is accepted once even by two decisions at the same moment.
 */
export async function verifyStepUp(services: Services, trx: Tx, actor: Actor, code: string | undefined): Promise<void> {
  if (!code) throw new AppError('auth.totp_required');
  const user = await trx.selectFrom('users').select(['totp_secret_enc', 'totp_last_counter']).where('id', '=', actor.userId).forUpdate().executeTakeFirstOrThrow();
  if (!user.totp_secret_enc) throw new AppError('auth.totp_invalid');
  const result = verifyTotp(decryptField(user.totp_secret_enc, services.keys.field), code, Math.floor(services.now().getTime() / 1000), {
    lastUsedCounter: user.totp_last_counter === null ? null : Number(user.totp_last_counter),
  });
  if (!result.ok) throw new AppError('auth.totp_invalid');
  await trx.updateTable('users').set({ totp_last_counter: String(result.counter) }).where('id', '=', actor.userId).execute();
}

/** Signs `payload` (the canonical JSON that will be stored) with the user's SM2 key. */
export async function signAsUser(services: Services, trx: Tx, userId: string, payload: string): Promise<{ signature: string; publicKey: string }> {
  const keys = await trx.selectFrom('users').select(['sm2_public_key', 'sm2_private_key_enc']).where('id', '=', userId).executeTakeFirstOrThrow();
  return { signature: sm2Sign(payload, decryptField(keys.sm2_private_key_enc, services.keys.field)), publicKey: keys.sm2_public_key };
}
