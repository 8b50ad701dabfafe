// Old lip-sync (POST /v1/videos/lip-sync): the whole video (a Kling video_id, or an uploaded 2–10 s video_url), its
// face speaking from the start either a text read by a preset or custom voice (text2video) or an uploaded sound
// (audio2video). Rendered like advanced lip-sync (media/render-lip-sync.ts), with the whole sound inserted at 0 s.

import { rm, stat } from 'node:fs/promises';
import { LIP_SYNC_SECONDS, LIP_SYNC_VIDEO_LIMITS, mediaLimitBroken, speechSeconds, type SpeechRef, type TalkingVideoPlan } from '@kiln/contract';
import { placeFaces } from '../../actions/identify-face.ts';
import { customTimbre, presetVoice } from '../../actions/voice-library.ts';
import { storedVideo, type StoredResult } from '../../tasks/stored-result.ts';
import { TaskFailure } from '../engine.ts';
import { renamed, sourceAudio, sourceVideo, type RenderContext } from './sources.ts';

const media = () => Promise.all([
  import('./media/render-lip-sync.ts'), import('./media/render-audio.ts'), import('./media/session-video.ts'),
]);

/** "720p or 1080p: each side 720–1920 px" for uploads [DMX], from the field's limits in the contract. */
const EDGES = [LIP_SYNC_VIDEO_LIMITS.minEdge, LIP_SYNC_VIDEO_LIMITS.maxEdge] as const;
const SLACK_S = 0.05;
/** The docs give no length for the sound: up to what a 5 MB file holds; what runs past the video's end is cut. */
const SOUND_SECONDS = [0, 300] as const;

export async function renderOldLipSyncPlan(plan: TalkingVideoPlan, ctx: RenderContext): Promise<StoredResult> {
  if (!plan.video) throw new Error('an old lip-sync plan names its video');
  const [{ renderLipSync }, { renderSpeech }, { probeVideo }] = await media();
  const source = await renamed(() => sourceVideo(plan.video!, ctx, LIP_SYNC_SECONDS.upload), (m) => `input.${m}`);
  const made: string[] = source.uploaded ? [source.file] : [];
  try {
    const facts = await probeVideo(source.file);
    const field = source.uploaded ? 'input.video_url' : 'input.video_id';
    if (!facts) throw new TaskFailure(`${field}: not a readable video (mp4 or mov expected)`);
    checkVideo(field, facts, source.uploaded);
    // The field's size limit (≤ 100 MB), below the 200 MB the video reader allows any input.
    const tooLarge = source.uploaded && mediaLimitBroken('video', LIP_SYNC_VIDEO_LIMITS, { bytes: (await stat(source.file)).size });
    if (tooLarge) throw new TaskFailure(`${field}: ${tooLarge}`);

    let sound: string;
    let soundSeconds: number;
    if ('speech' in plan.audio) {
      const { speech } = plan.audio;
      soundSeconds = speechSeconds(speech.text, speech.speed);
      sound = (await renderSpeech({ text: speech.text, seconds: soundSeconds, voice: await timbreOf(speech, ctx), seed: speech.voiceId }, ctx.outputDir, 'speech', ['wav'])).wav;
      made.push(sound);
    } else {
      const audioField = 'soundFile' in plan.audio && /^https?:/i.test(plan.audio.soundFile) ? 'input.audio_url' : 'input.audio_file';
      const read = await renamed(() => sourceAudio(plan.audio, SOUND_SECONDS, ctx), (m) => m.replace(/^sound_file/, audioField));
      if (read.uploaded) made.push(read.file);
      sound = read.file;
      soundSeconds = read.seconds;
    }

    const videoMs = Math.round(facts.seconds * 1000);
    // The one person of the video: where identify-face puts the face of a one-person video.
    const [face] = placeFaces(1, facts.seconds, facts.width, facts.height);
    const out = await renderLipSync({
      video: source.file,
      facts,
      sound,
      // The new speech replaces what the person said: the video's own sound is not kept.
      clip: { startMs: 0, endMs: Math.min(Math.round(soundSeconds * 1000), videoMs), insertMs: 0, volume: 1, originalVolume: 0 },
      face: { box: face.box, startMs: 0, endMs: videoMs },
      watermark: plan.watermark,
      outDir: ctx.outputDir,
    });
    return {
      parentVideo: source.parent,
      videos: [storedVideo(ctx.taskId, out)],
    };
  } finally {
    await Promise.all(made.map((f) => rm(f, { force: true })));
  }
}

/** Uploads: 720p or 1080p (2–10 s is checked on reading); Kling videos: 5–10 s. */
function checkVideo(field: string, facts: { width: number; height: number; seconds: number }, uploaded: boolean): void {
  if (uploaded) {
    const [min, max] = EDGES;
    if (Math.min(facts.width, facts.height) < min || Math.max(facts.width, facts.height) > max) {
      throw new TaskFailure(`${field}: each side must be ${min}–${max} px (720p or 1080p; got ${facts.width}x${facts.height})`);
    }
    return;
  }
  const [min, max] = LIP_SYNC_SECONDS.klingVideo;
  if (facts.seconds < min - SLACK_S || facts.seconds > max + SLACK_S) {
    throw new TaskFailure(`${field}: the video lasts ${Math.round(facts.seconds * 100) / 100} s; it must last ${min}–${max} s`);
  }
}

/**
 * The voice that reads the text: a preset, in a language it speaks, or one of the caller's custom voices (the old
 * docs predate custom voices, but a voice a user cloned is expected to work here as it does in TTS). Checked when the
 * task was created, and again here: the voice may have been deleted since.
 */
async function timbreOf(speech: SpeechRef['speech'], ctx: RenderContext) {
  const voice = presetVoice(speech.voiceId);
  if (!voice) {
    const custom = await ctx.customVoice(speech.voiceId);
    if (!custom || custom.status === 'deleted') throw new TaskFailure(`input.voice_id: voice '${speech.voiceId}' has been deleted`);
    return customTimbre(speech.voiceId);
  }
  if (!voice.languages.includes(speech.language)) {
    throw new TaskFailure(`input.voice_language: voice '${speech.voiceId}' speaks ${voice.languages.map((l) => `'${l}'`).join(' and ')}, not '${speech.language}' (voice_language defaults to 'zh')`);
  }
  return voice.timbre;
}
