//! The week's chart: reshares per day (Monday to Sunday) by network as stacked bars, with a title,
//! a value axis and a legend, as an 800×400 PNG. plotters draws the shapes into an RGB buffer;
//! [`glyphs`](super::glyphs) writes the text with the embedded font, so it renders the same on a
//! bare server without system fonts.

use super::data::WeekData;
use super::glyphs::{self, Align, Canvas, Label};
use crate::domain::Network;
use plotters::prelude::*;

/// Width and height of the chart in pixels.
pub const CHART_SIZE: (u32, u32) = (800, 400);
/// The bars' area: left, top, right, bottom (pixels).
const PLOT: (i32, i32, i32, i32) = (64, 52, 640, 352);
/// Where the legend's squares start.
const LEGEND: (i32, i32) = (664, 64);
const LEGEND_ROW: i32 = 24;
const INK: (u8, u8, u8) = (40, 40, 40);
const GRID: RGBColor = RGBColor(228, 228, 228);
const AXIS: RGBColor = RGBColor(120, 120, 120);

/// Why the chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("the embedded chart font could not be loaded")]
    Font,
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    #[error("encoding the chart as PNG failed: {0}")]
    Encode(String),
}

/// The chart's words, in the report's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartLabels {
    pub title: String,
    /// Labels of Monday to Sunday (`Mon 16`).
    pub days: [String; 7],
    /// Shown across an empty chart.
    pub empty: String,
}

/// Reshares per day of the week (Monday first) of one network.
pub type DayCounts = [u32; 7];

/// One colour per network, distinct side by side (in `Network::ALL` order).
const PALETTE: [(u8, u8, u8); 12] = [
    (78, 121, 167),
    (242, 142, 43),
    (225, 87, 89),
    (118, 183, 178),
    (89, 161, 79),
    (237, 201, 72),
    (176, 122, 161),
    (255, 157, 167),
    (156, 117, 95),
    (31, 119, 180),
    (23, 190, 207),
    (186, 176, 172),
];

fn colour(network: Network) -> RGBColor {
    let index = Network::ALL.iter().position(|n| *n == network).unwrap_or(0);
    let (r, g, b) = PALETTE.get(index).copied().unwrap_or((128, 128, 128));
    RGBColor(r, g, b)
}

/// Reshares per day of the week for each network present, in `Network::ALL` order.
pub fn per_day(data: &WeekData) -> Vec<(Network, DayCounts)> {
    let mut table = [[0u32; 7]; Network::ALL.len()];
    for reshare in data.reshares() {
        let row = Network::ALL.iter().position(|n| *n == reshare.network).unwrap_or(0);
        if let Some(cell) = table
            .get_mut(row)
            .and_then(|days| days.get_mut(data.day_of_week(reshare.at)))
        {
            *cell += 1;
        }
    }
    Network::ALL
        .into_iter()
        .zip(table)
        .filter(|(_, days)| days.iter().any(|n| *n > 0))
        .collect()
}

/// The top of the value axis and the step between its labels, for a highest bar of `highest`:
/// a step of 1, 2 or 5 × 10ⁿ giving at most five steps to the highest bar, and room above it.
pub fn value_axis(highest: u32) -> (u32, u32) {
    let mut step = 1u32;
    for next in (0..10).flat_map(|power| [1u32, 2, 5].map(|m| m.saturating_mul(10u32.saturating_pow(power)))) {
        step = next;
        if highest / next < 5 {
            break;
        }
    }
    ((highest / step).saturating_add(1).saturating_mul(step), step)
}

impl WeekData {
    /// The chart as PNG bytes.
    pub fn chart_png(&self, labels: &ChartLabels) -> Result<Vec<u8>, ChartError> {
        let font = glyphs::font().ok_or(ChartError::Font)?;
        let (width, height) = CHART_SIZE;
        let mut pixels = vec![255u8; (width * height * 3) as usize];
        let series = per_day(self);
        let highest = (0..7)
            .map(|day| series.iter().map(|(_, days)| days[day]).sum::<u32>())
            .max()
            .unwrap_or(0);
        let axis = value_axis(highest);
        draw_shapes(&mut pixels, &series, axis).map_err(|e| ChartError::Draw(e.to_string()))?;
        let mut canvas = Canvas {
            pixels: &mut pixels,
            width,
            height,
        };
        draw_text(&mut canvas, font, labels, &series, axis);
        encode_png(&pixels, width, height)
    }
}

/// The pixel row of value `value` on an axis topped at `top`.
fn y_of(value: u32, top: u32) -> i32 {
    let (_, upper, _, lower) = PLOT;
    let share = f64::from(value) / f64::from(top.max(1));
    lower - (share * f64::from(lower - upper)).round() as i32
}

/// The left and right pixel columns of day `day`'s bar.
fn bar_columns(day: usize) -> (i32, i32) {
    let (left, _, right, _) = PLOT;
    let slot = f64::from(right - left) / 7.0;
    let start = f64::from(left) + slot * day as f64;
    (
        (start + slot * 0.18).round() as i32,
        (start + slot * 0.82).round() as i32,
    )
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;

fn draw_shapes(pixels: &mut [u8], series: &[(Network, DayCounts)], (top, step): (u32, u32)) -> DrawResult {
    let root = BitMapBackend::with_buffer(pixels, CHART_SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let (left, _, right, lower) = PLOT;
    for value in (step..=top).step_by(step.max(1) as usize) {
        let y = y_of(value, top);
        root.draw(&PathElement::new(vec![(left, y), (right, y)], GRID))?;
    }
    let mut base = [0u32; 7];
    for (network, days) in series {
        for (day, count) in days.iter().enumerate().filter(|(_, count)| **count > 0) {
            let (x0, x1) = bar_columns(day);
            let (from, to) = (base[day], base[day] + count);
            base[day] = to;
            root.draw(&Rectangle::new(
                [(x0, y_of(to, top)), (x1, y_of(from, top))],
                colour(*network).filled(),
            ))?;
        }
    }
    root.draw(&PathElement::new(
        vec![(left, PLOT.1), (left, lower), (right, lower)],
        AXIS,
    ))?;
    for (row, (network, _)) in series.iter().rev().enumerate() {
        let y = LEGEND.1 + LEGEND_ROW * row as i32;
        root.draw(&Rectangle::new(
            [(LEGEND.0, y - 7), (LEGEND.0 + 14, y + 7)],
            colour(*network).filled(),
        ))?;
    }
    root.present()?;
    Ok(())
}

fn draw_text(
    canvas: &mut Canvas<'_>,
    font: &ab_glyph::FontRef<'_>,
    labels: &ChartLabels,
    series: &[(Network, DayCounts)],
    (top, step): (u32, u32),
) {
    fn label(text: &str, size: f32, (x, y): (i32, i32), align: Align) -> Label<'_> {
        Label {
            text,
            size,
            x: x as f32,
            y: y as f32,
            align,
            colour: INK,
        }
    }
    let (left, _, right, lower) = PLOT;
    canvas.text(
        font,
        &label(&labels.title, 21.0, ((left + right) / 2, 24), Align::Centre),
    );
    for (day, name) in labels.days.iter().enumerate() {
        let (x0, x1) = bar_columns(day);
        canvas.text(font, &label(name, 15.0, ((x0 + x1) / 2, lower + 18), Align::Centre));
    }
    for value in (0..=top).step_by(step.max(1) as usize) {
        canvas.text(
            font,
            &label(&value.to_string(), 14.0, (left - 8, y_of(value, top)), Align::Right),
        );
    }
    if series.is_empty() {
        canvas.text(
            font,
            &label(
                &labels.empty,
                18.0,
                ((left + right) / 2, (PLOT.1 + lower) / 2),
                Align::Centre,
            ),
        );
    }
    for (row, (network, days)) in series.iter().rev().enumerate() {
        let total: u32 = days.iter().sum();
        let text = format!("{} ({total})", network.name());
        let y = LEGEND.1 + LEGEND_ROW * row as i32;
        canvas.text(font, &label(&text, 16.0, (LEGEND.0 + 22, y), Align::Left));
    }
}

fn encode_png(pixels: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let mut bytes = Vec::with_capacity(pixels.len() / 8);
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(|e| ChartError::Encode(e.to_string()))?;
    writer
        .write_image_data(pixels)
        .map_err(|e| ChartError::Encode(e.to_string()))?;
    writer.finish().map_err(|e| ChartError::Encode(e.to_string()))?;
    Ok(bytes)
}
