// The render bench (`npm run bench` runs it after the API bench): the simulator's renderer against a plain ffmpeg
// encode of the same size, length and codec settings, measured in alternating rounds in one run and printed as
// ratios; a 2k image's render time; and the API's latency while four videos render. Results go to results/.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { familyGroups, type ImagePlan, type VideoPlan } from '@kiln/contract';
import {
  CONTAINER_ARGS, RENDER_NICE, VIDEO_CODEC_ARGS, ffmpegPath, renderImages, renderVideo, runProcess,
} from '../packages/server/src/engines/simulator/media/index.ts';
import { recordResults } from './record.ts';

const here = import.meta.dirname;
// Five rounds by default: on a shared 2-core machine one disturbed round must not decide the median.
const ROUNDS = Math.max(3, Number(process.env.BENCH_RENDER_ROUNDS ?? 5));
const IMAGE_RUNS = 7;
const LOAD_SECONDS = 3;
const TARGET = { videoRatio: 1.3, imageSeconds: 0.2, p99Ms: 20 };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-render-bench-'));
const { text2video } = familyGroups.videos;
const { generations } = familyGroups.images;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

/**
 * The baseline: one ffmpeg run encoding a flat colour (and a sine, as AAC like kiln's tone) with kiln's settings, at
 * the priority kiln's encodes run at (which changes nothing on an idle machine and keeps the two equal on a busy one).
 */
function plainEncode(width: number, height: number, seconds: number, fps: number, audio: boolean, out: string) {
  return runProcess(ffmpegPath(), [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `color=c=0x3a5f8f:s=${width}x${height}:r=${fps}:d=${seconds}`,
    ...(audio ? ['-f', 'lavfi', '-i', `sine=frequency=220:sample_rate=48000:duration=${seconds}`] : []),
    ...VIDEO_CODEC_ARGS, '-r', String(fps), '-frames:v', String(Math.round(seconds * fps)),
    ...(audio ? ['-ac', '2', '-c:a', 'aac', '-b:a', '128k'] : []),
    ...CONTAINER_ARGS, out,
  ], { nice: RENDER_NICE });
}

interface VideoCase { name: string; plan: VideoPlan }
const videoCases: VideoCase[] = [
  {
    name: '5 s 1080p text-to-video with audio',
    plan: text2video.plan({ model_name: 'kling-v2-6', mode: 'pro', sound: 'on', duration: '5', aspect_ratio: '16:9', prompt: 'a lighthouse on a cliff in a storm, waves breaking over the rocks, cinematic' } as never) as VideoPlan,
  },
  {
    name: '10 s 1080p multi-shot (3 shots)',
    plan: text2video.plan({
      model_name: 'kling-v3', mode: 'pro', duration: '10', aspect_ratio: '16:9', multi_shot: true, shot_type: 'customize',
      multi_prompt: [
        { index: 1, prompt: 'a fox wakes up in a snowy forest', duration: '3' },
        { index: 2, prompt: 'the fox runs across a frozen lake at dawn', duration: '3' },
        { index: 3, prompt: 'close-up of the fox watching the sun rise over the mountains', duration: '4' },
      ],
    } as never) as VideoPlan,
  },
];

async function measureVideo(c: VideoCase) {
  const out = path.join(work, 'kiln.mp4');
  const plainOut = path.join(work, 'plain.mp4');
  // A warm-up render gives the output's real size, length and sound, which the baseline then copies.
  const { width, height, fps, seconds, hasAudio: audio } = await renderVideo(c.plan, out);
  await plainEncode(width, height, seconds, fps, audio, plainOut);
  const rounds: Array<{ kiln: number; plain: number; ratio: number }> = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternating which goes first cancels a drift in machine load across a round.
    const runKiln = () => timed(() => renderVideo(c.plan, out));
    const runPlain = () => timed(() => plainEncode(width, height, seconds, fps, audio, plainOut));
    let kiln: number;
    let plain: number;
    if (r % 2 === 0) {
      kiln = await runKiln();
      plain = await runPlain();
    } else {
      plain = await runPlain();
      kiln = await runKiln();
    }
    rounds.push({ kiln, plain, ratio: kiln / plain });
    console.log(`  ${c.name} round ${r + 1}: kiln ${kiln.toFixed(2)} s, plain ${plain.toFixed(2)} s, ratio ${(kiln / plain).toFixed(2)}`);
  }
  const ratio = median(rounds.map((r) => r.ratio));
  const mid = rounds.find((r) => r.ratio === ratio)!;
  return { name: c.name, size: `${width}×${height}`, seconds, fps, audio, ...mid, ratio, rounds, pass: ratio <= TARGET.videoRatio };
}

async function measureImage() {
  const plan = generations.plan({ prompt: 'a watercolour map of an imaginary island with a lighthouse', resolution: '2k', aspect_ratio: '1:1', n: 1 } as never) as ImagePlan;
  const dir = path.join(work, 'images');
  await renderImages(plan, dir);
  const times: number[] = [];
  for (let i = 0; i < IMAGE_RUNS; i++) times.push(await timed(() => renderImages(plan, dir)));
  const [image] = await renderImages(plan, dir);
  const seconds = median(times);
  return { name: '2k image', size: `${image.width}×${image.height}`, seconds, runs: times, pass: seconds <= TARGET.imageSeconds };
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string; key: string }> {
  const child = spawn(process.execPath, ['--conditions=@kiln/source', '--import', 'tsx', path.join(here, 'servers', 'kiln-render.ts'), dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening (\S+) (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1], key: m[2] });
    });
    child.once('exit', (code) => reject(new Error(`kiln-render.ts exited with ${code}`)));
  });
}

/** GET a task over and over for `seconds`, one request at a time, returning each request's latency in ms. */
async function pollLatencies(url: string, headers: Record<string, string>, seconds: number): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const start = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status}`);
    latencies.push(performance.now() - start);
  }
  return latencies;
}

async function measureLoad() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-render-bench-data-'));
  const server = await startServer(dataDir);
  const headers = { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' };
  const api = async (method: string, route: string, body?: object) =>
    (await (await fetch(server.url + route, { method, headers, body: body && JSON.stringify(body) })).json()) as any;
  try {
    // 10 s 1080p text-to-video, each rendering in its own ffmpeg process while the API answers.
    const body = (i: number) => ({ model_name: 'kling-v2-5-turbo', mode: 'pro', duration: '10', aspect_ratio: '16:9', prompt: `render under load ${i}` });
    const probe = (await api('POST', '/v1/videos/text2video', body(0))).data.task_id as string;
    await waitFor(server.url, headers, [probe], 'succeed');
    const taskUrl = `${server.url}/v1/videos/text2video/${probe}`;
    const idle = await pollLatencies(taskUrl, headers, 1.5);

    const ids: string[] = [];
    for (let i = 1; i <= 4; i++) ids.push((await api('POST', '/v1/videos/text2video', body(i))).data.task_id);
    const started = performance.now();
    await waitFor(server.url, headers, ids, 'processing');
    const loaded = await pollLatencies(taskUrl, headers, LOAD_SECONDS);
    const statuses = await Promise.all(ids.map(async (id) => (await api('GET', `/v1/videos/text2video/${id}`)).data.task_status as string));
    await waitFor(server.url, headers, ids, 'succeed');
    const renderSeconds = (performance.now() - started) / 1000;
    const stillRendering = statuses.filter((s) => s === 'processing').length;
    const p99 = percentile(loaded, 0.99);
    return {
      name: 'GET task while 4 × 10 s 1080p render', requests: loaded.length, p50: percentile(loaded, 0.5), p99, max: Math.max(...loaded),
      idleP99: percentile(idle, 0.99), stillRenderingAtEnd: stillRendering, renderSeconds,
      // The window only counts if the renders were still running when it closed.
      pass: p99 < TARGET.p99Ms && stillRendering > 0,
    };
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function waitFor(base: string, headers: Record<string, string>, ids: string[], status: 'processing' | 'succeed') {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const states = await Promise.all(ids.map(async (id) => ((await (await fetch(`${base}/v1/videos/text2video/${id}`, { headers })).json()) as any).data.task_status as string));
    if (states.includes('failed')) throw new Error(`a bench task failed: ${states.join(', ')}`);
    const done = status === 'succeed' ? states.every((s) => s === 'succeed') : states.every((s) => s !== 'submitted');
    if (done) return;
    if (Date.now() > deadline) throw new Error(`bench tasks did not reach ${status}: ${states.join(', ')}`);
    await new Promise((r) => setTimeout(r, status === 'succeed' ? 200 : 20));
  }
}

try {
  console.log(`render bench: ${ROUNDS} alternating rounds per video case, ${os.cpus().length} cores...`);
  const videos = [];
  for (const c of videoCases) videos.push(await measureVideo(c));
  const image = await measureImage();
  console.log(`  2k image: median ${(image.seconds * 1000).toFixed(0)} ms`);
  const load = await measureLoad();
  const ms = (x: number) => x.toFixed(1);
  const lines = [
    `# kiln render benchmark — ${new Date().toISOString()}`,
    '',
    `Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'cpu'}). Wall time of the render call; ${ROUNDS} alternating rounds per video case, the median ratio shown.`,
    'Baseline: one ffmpeg run encoding a lavfi `color` source (plus a `sine`, AAC 128k, when the video has sound) at the same size, length, frame rate and codec settings (VIDEO_CODEC_ARGS, CONTAINER_ARGS), in the same run.',
    '',
    '| case | size | kiln s | plain encode s | ratio (median) | target | all rounds |',
    '|---|---|---|---|---|---|---|',
    ...videos.map((v) => `| ${v.name} | ${v.size}, ${v.seconds} s, ${v.fps} fps${v.audio ? ', audio' : ''} | ${v.kiln.toFixed(2)} | ${v.plain.toFixed(2)} | **${v.ratio.toFixed(2)}×** ${v.pass ? '✓' : '✗'} | ≤ ${TARGET.videoRatio}× | ${v.rounds.map((r) => r.ratio.toFixed(2)).join(', ')} |`),
    '',
    '| case | size | median | target | all runs |',
    '|---|---|---|---|---|',
    `| ${image.name} | ${image.size} | **${(image.seconds * 1000).toFixed(0)} ms** ${image.pass ? '✓' : '✗'} | ≤ ${TARGET.imageSeconds * 1000} ms | ${image.runs.map((t) => (t * 1000).toFixed(0)).join(', ')} |`,
    '',
    '| case | requests | p50 ms | p99 ms | max ms | target | idle p99 ms | renders running at the end of the window | all 4 rendered in |',
    '|---|---|---|---|---|---|---|---|---|',
    `| ${load.name} (sequential GETs, ${LOAD_SECONDS} s) | ${load.requests} | ${ms(load.p50)} | **${ms(load.p99)}** ${load.pass ? '✓' : '✗'} | ${ms(load.max)} | < ${TARGET.p99Ms} ms | ${ms(load.idleP99)} | ${load.stillRenderingAtEnd} of 4 | ${load.renderSeconds.toFixed(1)} s |`,
    '',
  ];
  const report = lines.join('\n');
  console.log(report);
  recordResults('render', report, { node: process.version, cores: os.cpus().length, rounds: ROUNDS, targets: TARGET, videos, image, load });
  process.exitCode = [...videos, image, load].every((c) => c.pass) ? 0 : 1;
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
