// Shrinks reference images to framed thumbnails, so a result shows which references it was asked to use.

import sharp from 'sharp';

export interface Thumbnail {
  input: Buffer;
  width: number;
  height: number;
}

/**
 * Each image fitted inside `edge` × `edge` (aspect kept), with a white frame a user can tell apart from the scene.
 * `fields` name the images in errors: a truncated file passes the header check on input and first fails here.
 */
export async function makeThumbnails(images: readonly Buffer[], edge: number, fields: readonly string[]): Promise<Thumbnail[]> {
  const border = Math.max(2, Math.round(edge / 40));
  const inner = Math.max(8, edge - 2 * border);
  return Promise.all(
    images.map(async (image, i) => {
      const { data, info } = await sharp(image)
        .rotate()
        .resize(inner, inner, { fit: 'inside' })
        .flatten({ background: '#ffffff' })
        .extend({ top: border, bottom: border, left: border, right: border, background: '#ffffff' })
        .png({ compressionLevel: 1 })
        .toBuffer({ resolveWithObject: true })
        .catch(() => {
          throw new Error(`${fields[i]}: could not decode image`);
        });
      return { input: data, width: info.width, height: info.height };
    }),
  );
}
