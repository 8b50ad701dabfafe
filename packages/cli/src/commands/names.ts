// Command names for the contract's families, by one rule so they stay predictable as families are added:
//   group   = the contract group, singular               videos → video, images → image
//   command = the family name without its group noun      omni-video → omni, text2video → text,
//             (a trailing "-video", "2video", "-to-video")  multi-image2video → multi-image, generations → generations
// The full family name always works too: `kiln video omni-video`. Two families that would share a short name keep
// their full names.

import { familyGroups, type AnyFamily } from '@kiln/contract';

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
