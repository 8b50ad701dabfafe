// Command names for the contract's families (and, at the end, its synchronous endpoints), by one rule so they stay
// predictable as families are added:
//   group   = the contract group, singular               videos → video, images → image
//   command = the family name without its group noun      omni-video → omni, text2video → text,
//             (a trailing "-video", "2video", "-to-video")  multi-image2video → multi-image, generations → generations
// The full family name always works too: `kiln video omni-video`. Two families that would share a short name keep
// their full names.

import { familyGroups, type AnyAction, type AnyFamily } from '@kiln/sdk/contract';
import { actionEntries } from '@kiln/sdk';

export interface FamilyCommand {
  family: AnyFamily;
  /** The contract group (`videos`) and the SDK key (`omniVideo`): `client.videos.omniVideo`. */
  group: string;
  key: string;
  /** `video` */
  groupCommand: string;
  /** `omni` */
  command: string;
  aliases: string[];
}

export const singular = (group: string) => group.replace(/s$/, '');

function shortName(name: string, group: string): string {
  const noun = singular(group);
  const short = name.replace(/\//g, '-').replace(new RegExp(`(?:-to-|2|-)${noun}$`), '');
  return short && short !== name ? short : name.replace(/\//g, '-');
}

export function familyCommands(): FamilyCommand[] {
  const out: FamilyCommand[] = [];
  for (const [group, members] of Object.entries(familyGroups)) {
    const entries = Object.entries(members as Record<string, AnyFamily>);
    const shorts = entries.map(([, f]) => shortName(f.name, group));
    entries.forEach(([key, family], i) => {
      const clash = shorts.filter((s) => s === shorts[i]).length > 1;
      const command = clash ? family.name.replace(/\//g, '-') : shorts[i];
      const full = family.name.replace(/\//g, '-');
      out.push({ family, group, key, groupCommand: singular(group), command, aliases: full !== command ? [full] : [] });
    });
  }
  return out;
}

/** A family by its name (`omni-video`), SDK key (`omniVideo`) or command (`video omni`, `video/omni`). */
export function findFamily(name: string): FamilyCommand | undefined {
  const wanted = name.trim().replace(/\s+/, '/');
  return familyCommands().find((c) =>
    c.family.name === wanted || c.key === wanted || `${c.groupCommand}/${c.command}` === wanted || `${c.group}/${c.command}` === wanted ||
    c.aliases.some((a) => `${c.groupCommand}/${a}` === wanted));
}

export const familyNames = () => familyCommands().map((c) => c.family.name).join(', ');

export interface ActionCommand {
  action: AnyAction;
  /** The contract group (`videos`) and the SDK method (`identifyFace`): `client.videos.identifyFace`. */
  group: string;
  key: string;
  /** `video` (`account` for the account endpoints) */
  groupCommand: string;
  /** The SDK method in kebab-case: `identify-face`, `multi-elements-init-selection`, `costs`. */
  command: string;
}

const kebab = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/**
 * A command per synchronous endpoint, under the same group commands as the families: `kiln audio tts`,
 * `kiln video identify-face`, `kiln account costs`. The SDK keys cannot clash (the contract forbids an action key
 * equal to a family key of its group), but a family's short command can (`image` in `kiln video`): such a name gets
 * the HTTP method in front (`post-…`, `get-…`).
 */
export function actionCommands(): ActionCommand[] {
  const families = familyCommands();
  return actionEntries().map(({ action, group, key }) => {
    const groupCommand = singular(group);
    const used = families.filter((f) => f.groupCommand === groupCommand).flatMap((f) => [f.command, ...f.aliases]);
    const command = used.includes(kebab(key)) ? `${action.method.toLowerCase()}-${kebab(key)}` : kebab(key);
    return { action, group, key, groupCommand, command };
  });
}
