// The tenant's keys (list, create, revoke) and its webhook secret (rotate).
import { KeysTable } from '../parts/keys-table.tsx';
import { WebhookSecret } from '../parts/webhook-secret.tsx';

export function KeysPage() {
  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">Keys</h1>
      <p class="help">API keys are sent as <code>Authorization: Bearer …</code>; an access key and secret key sign JWTs. Revoking a key ends every console session signed in with it.</p>
      <KeysTable base="/kiln/keys" />
      <WebhookSecret />
    </section>
  );
}
