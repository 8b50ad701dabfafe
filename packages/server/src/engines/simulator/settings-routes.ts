// A tenant's own simulator settings, with the same credentials as the Kling API (or its console session):
//   GET /simulator/settings   its timing profile, the one its next simulated task gets, and its engine
//   PUT /simulator/settings   {"timing": "instant" | "fast" | "realistic" | null}  (null: follow the server's)
// The operator sets the same column with `kiln tenant set NAME --timing`; the latest change wins. A relay tenant is
// refused (1201): its tasks are made by Kling, whose timing no setting changes.

import {
  KlingError, SimulatorSettingsSchema, successEnvelope, validateOperatorBody,
  type EngineName, type SimulatorSettingsView, type TimingProfile,
} from '@kiln/contract';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../store/open.ts';
import { updateTenant, type Tenant } from '../../store/tenants.ts';

export interface SettingsDeps {
  db: Db;
  serverTiming: TimingProfile;
  authenticate: (request: FastifyRequest) => Promise<Tenant>;
}

export function registerSimulatorSettings(app: FastifyInstance, deps: SettingsDeps): void {
  const view = (tenant: Tenant): SimulatorSettingsView => {
    const timing = tenant.timing_profile as TimingProfile | null;
    return { timing, effective_timing: timing ?? deps.serverTiming, server_timing: deps.serverTiming, engine: tenant.engine as EngineName };
  };

  app.get('/simulator/settings', async (request, reply) => {
    const tenant = await deps.authenticate(request);
    return reply.send(successEnvelope(request.id, view(tenant)));
  });

  app.put('/simulator/settings', async (request, reply) => {
    const tenant = await deps.authenticate(request);
    const body = validateOperatorBody(SimulatorSettingsSchema, request.body);
    if (tenant.engine !== 'simulator') {
      throw new KlingError(1201, `timing: this key's tasks are relayed to Kling (engine ${tenant.engine}); the simulator's timing does not apply`);
    }
    await updateTenant(deps.db, tenant.id, { timing_profile: body.timing });
    return reply.send(successEnvelope(request.id, view({ ...tenant, timing_profile: body.timing })));
  });
}
