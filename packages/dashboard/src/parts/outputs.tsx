// A task's outputs, playable or viewable in place, each with a download link: videos, images (and multi-shot
// views), audio, voice trials and element images. Media boxes keep their aspect space before they load, so nothing
// jumps when a video's metadata arrives.

import type { TaskResult } from '@kiln/contract';

export function Outputs({ result }: { result: TaskResult }) {
  const images = [...(result.images ?? []), ...(result.series_images ?? [])];
  const views = images.flatMap((image) => Object.entries(image).filter(([key]) => /^url(_\d+)?$/.test(key)).map(([, url]) => String(url)));
  const empty = !result.videos?.length && !views.length && !result.audios?.length && !result.voices?.length && !result.elements?.length;
  if (empty) return <p class="empty">No outputs.</p>;
  return (
    <div class="outputs">
      {result.videos?.map((v) => (
        <figure class="media" key={v.id}>
          <video controls preload="metadata" src={v.url} data-duration={v.duration} />
          <figcaption>
            Video {v.id} · {v.duration} s · <a href={v.url} download>Download</a>
            {v.watermark_url && <> · <a href={v.watermark_url} download>with watermark</a></>}
          </figcaption>
        </figure>
      ))}
      {views.map((url, i) => (
        <figure class="media" key={url}>
          <img src={url} alt={`Output image ${i + 1}`} loading="lazy" />
          <figcaption>Image {i + 1} · <a href={url} download>Download</a></figcaption>
        </figure>
      ))}
      {result.audios?.map((a) => (
        <figure class="audio" key={a.id}>
          <audio controls preload="metadata" src={a.url_mp3} />
          <figcaption>Audio {a.id} · {a.duration_mp3} s · <a href={a.url_mp3} download>MP3</a> · <a href={a.url_wav} download>WAV</a></figcaption>
        </figure>
      ))}
      {result.voices?.map((v) => (
        <figure class="audio" key={v.voice_id}>
          <audio controls preload="none" src={v.trial_url} />
          <figcaption>Voice “{v.voice_name}” ({v.voice_id}) · <a href={v.trial_url} download>Trial</a></figcaption>
        </figure>
      ))}
      {result.elements?.map((e) => (
        <figure class="media" key={String(e.element_id)}>
          {e.element_image_list.frontal_image && <img src={e.element_image_list.frontal_image} alt={`Element ${e.element_name}`} loading="lazy" />}
          <figcaption>Element “{e.element_name}” ({String(e.element_id)}) · {e.reference_type}</figcaption>
        </figure>
      ))}
    </div>
  );
}
