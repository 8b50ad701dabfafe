// camera_control rules shared by text2video and image2video (spec §2.2, §11 rule 7). The schema (fields.ts
// `cameraControl`) checks types and the [-10, 10] range; these rules check how `type` and `config` fit together.
// Which models accept camera control at all is a capability each family checks against its own table.

import type { Rule } from '../family.ts';

export const CAMERA_AXES = ['horizontal', 'vertical', 'pan', 'tilt', 'roll', 'zoom'] as const;
type Axis = (typeof CAMERA_AXES)[number];

export interface CameraControlRequest {
  camera_control?: {
    type: 'simple' | 'down_back' | 'forward_up' | 'right_turn_forward' | 'left_turn_forward';
    config?: null | Partial<Record<Axis, number>>;
  };
}

const nonZeroAxes = (config: Partial<Record<Axis, number>> | null | undefined) =>
  CAMERA_AXES.filter((axis) => (config?.[axis] ?? 0) !== 0);

export function cameraControlRules<Req extends CameraControlRequest>(): Rule<Req, never>[] {
  return [
    {
      id: 'camera-config-simple',
      text: "camera_control.config is required for type 'simple' and must be empty for the other types",
      check: (req) => {
        const camera = req.camera_control;
        if (!camera) return;
        if (camera.type === 'simple' && (camera.config === undefined || camera.config === null)) {
          return "camera_control.config is required when camera_control.type is 'simple'";
        }
        // The docs say config "must be set to None" for the predefined movements. Kiln reads that permissively:
        // null, {} and an all-zero config carry no movement and are accepted; any non-zero axis is refused.
        if (camera.type !== 'simple' && nonZeroAxes(camera.config).length > 0) {
          return `camera_control.config must be empty when camera_control.type is '${camera.type}' (only 'simple' takes a config)`;
        }
      },
    },
    {
      id: 'camera-one-axis',
      text: "camera_control.config (type 'simple'): exactly one of horizontal, vertical, pan, tilt, roll, zoom is non-zero",
      check: (req) => {
        const camera = req.camera_control;
        if (camera?.type !== 'simple' || !camera.config) return;
        const moving = nonZeroAxes(camera.config);
        if (moving.length !== 1) {
          return moving.length === 0
            ? `camera_control.config must set exactly one of ${CAMERA_AXES.join(', ')} to a non-zero value`
            : `camera_control.config must set exactly one axis to a non-zero value, but ${moving.join(', ')} are non-zero`;
        }
      },
    },
  ];
}
