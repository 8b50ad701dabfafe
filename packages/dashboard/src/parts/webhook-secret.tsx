// Rotating the webhook secret: the new secret is shown once (with a copy button); the old one keeps signing callbacks
// beside it for Kling's grace period, so a receiver can switch over without missing one.

import { WEBHOOK_ROTATION_GRACE_DAYS } from '@kiln/contract';
import { useState } from 'preact/hooks';
import { post } from '../api.ts';
import { time } from '../format.ts';

export function WebhookSecret() {
  const [rotated, setRotated] = useState<{ webhook_secret: string; previous_secret_valid_until: number } | null>(null);
  const [message, setMessage] = useState('');
  const rotate = async () => {
    if (!confirm(`Rotate the webhook secret? The current one keeps signing callbacks for ${WEBHOOK_ROTATION_GRACE_DAYS} days.`)) return;
    try {
      setRotated(await post('/kiln/webhook-secret/rotate'));
      setMessage('');
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div class="card">
      <h2>Webhook secret</h2>
      <p class="help">Callbacks are signed with Standard Webhooks headers. After a rotation they carry two signatures, by the new
        and the old secret, for {WEBHOOK_ROTATION_GRACE_DAYS} days.</p>
      {rotated && (
        <div role="alert">
          <p class="secret"><span>New secret</span> <code data-secret="webhook_secret">{rotated.webhook_secret}</code>
            <button type="button" class="quiet" onClick={() => navigator.clipboard?.writeText(rotated.webhook_secret)}>Copy</button></p>
          <p>Shown only now. The old secret signs too until {time(rotated.previous_secret_valid_until)}.</p>
        </div>
      )}
      <button type="button" onClick={rotate}>Rotate webhook secret</button>
      <p class="error" role="alert">{message}</p>
    </div>
  );
}
