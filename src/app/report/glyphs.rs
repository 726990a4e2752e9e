//! Text on the chart: Noto Sans (Apache-2.0, embedded by the `ttf-noto-sans` crate) laid out and
//! rasterised with `ab_glyph` straight into the RGB pixels, so no system font is ever needed.
//!
//! (plotters 0.3.7 can draw text with `ab_glyph` too, but it drops each glyph's side bearing, which
//! spaces letters unevenly; this keeps the font's own advances, bearings and kerning.)

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use std::sync::OnceLock;

/// The embedded font, parsed once (`None` if the bytes were somehow unusable).
pub fn font() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(ttf_noto_sans::REGULAR).ok())
        .as_ref()
}

/// How a text is placed horizontally against its `x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Centre,
    Right,
}

/// An RGB image being drawn on: `width` × `height` pixels, three bytes each, row by row.
pub struct Canvas<'a> {
    pub pixels: &'a mut [u8],
    pub width: u32,
    pub height: u32,
}

/// One line of text: its size (pixel height of the font), position and colour.
#[derive(Debug, Clone, Copy)]
pub struct Label<'t> {
    pub text: &'t str,
    pub size: f32,
    /// Horizontal anchor (see `align`) and the vertical centre of the line, in pixels.
    pub x: f32,
    pub y: f32,
    pub align: Align,
    pub colour: (u8, u8, u8),
}

/// The width of `text` at `size`, in pixels.
pub fn width(font: &FontRef<'_>, size: f32, text: &str) -> f32 {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut previous: Option<GlyphId> = None;
    let mut total = 0.0;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(before) = previous {
            total += scaled.kern(before, id);
        }
        total += scaled.h_advance(id);
        previous = Some(id);
    }
    total
}

impl Canvas<'_> {
    /// Draws `label` with `font`, blending its anti-aliased edges into the background.
    pub fn text(&mut self, font: &FontRef<'_>, label: &Label<'_>) {
        let scaled = font.as_scaled(PxScale::from(label.size));
        let line_width = width(font, label.size, label.text);
        let left = match label.align {
            Align::Left => label.x,
            Align::Centre => label.x - line_width / 2.0,
            Align::Right => label.x - line_width,
        };
        let baseline = label.y + (scaled.ascent() + scaled.descent()) / 2.0;
        let mut caret = point(left, baseline);
        let mut previous: Option<GlyphId> = None;
        for c in label.text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(before) = previous {
                caret.x += scaled.kern(before, id);
            }
            let glyph = id.with_scale_and_position(PxScale::from(label.size), caret);
            caret.x += scaled.h_advance(id);
            previous = Some(id);
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                let x = bounds.min.x as i64 + i64::from(gx);
                let y = bounds.min.y as i64 + i64::from(gy);
                self.blend(x, y, label.colour, coverage);
            });
        }
    }

    /// Mixes `colour` into the pixel at (x, y) by `coverage` (0 to 1); outside the image, nothing.
    fn blend(&mut self, x: i64, y: i64, colour: (u8, u8, u8), coverage: f32) {
        let inside = (0..i64::from(self.width)).contains(&x) && (0..i64::from(self.height)).contains(&y);
        if !inside {
            return;
        }
        let index = ((y * i64::from(self.width) + x) * 3) as usize;
        let Some(pixel) = self.pixels.get_mut(index..index + 3) else {
            return;
        };
        let alpha = coverage.clamp(0.0, 1.0);
        for (channel, target) in pixel.iter_mut().zip([colour.0, colour.1, colour.2]) {
            let mixed = f32::from(*channel) * (1.0 - alpha) + f32::from(target) * alpha;
            *channel = mixed.round() as u8;
        }
    }
}
