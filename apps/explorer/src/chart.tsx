/**
 * A uPlot chart as a Preact component. uPlot draws thousands of points on a canvas in a few KB, which
 * keeps the page under its size budget. The canvas is an image to assistive technology, so the
 * chart carries a text summary (`label`) and its own legend in the page's markup; uPlot's legend is
 * off. The chart follows its container's width (phone to desktop) and the theme's colours.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { themeColor } from './theme.js';

/** One line of a chart. */
export interface ChartSeries {
  label: string;
  /** A CSS custom property of the theme (`--series-1`), so both themes have readable colours. */
  colorVariable: string;
  values: (number | null)[];
}

export interface ChartProps {
  /** What the chart shows, read out instead of the canvas. */
  label: string;
  /** X values: seconds since epoch for time charts, else plain numbers. */
  x: number[];
  series: ChartSeries[];
  time: boolean;
  xLabel?: string;
  yLabel: string;
  yFormat?: (value: number) => string;
  height?: number;
  /** Bars instead of lines. */
  bars?: boolean;
}

/** A line (or bar) chart with a legend. */
export function Chart(props: ChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const themeKey = typeof document === 'undefined' ? '' : (document.documentElement.dataset.theme ?? '');

  useEffect(() => {
    const element = holder.current;
    if (element === null) return;
    const axisColor = themeColor('--text-muted');
    const gridColor = themeColor('--border');
    const axis = (label: string | undefined, format?: (value: number) => string): uPlot.Axis => ({
      stroke: axisColor,
      grid: { stroke: gridColor, width: 1 },
      ticks: { stroke: gridColor, width: 1 },
      ...(label === undefined ? {} : { label }),
      ...(format === undefined ? {} : { values: (_u: uPlot, splits: number[]) => splits.map(format) }),
    });
    const options: uPlot.Options = {
      width: Math.max(240, element.clientWidth),
      height: props.height ?? 220,
      legend: { show: false },
      scales: { x: { time: props.time } },
      axes: [axis(props.xLabel), axis(props.yLabel, props.yFormat)],
      series: [
        {},
        ...props.series.map((series) => ({
          label: series.label,
          stroke: themeColor(series.colorVariable),
          width: 2,
          ...(props.bars === true
            ? { fill: themeColor(series.colorVariable), paths: uPlot.paths.bars?.({ size: [0.6, 40] }) }
            : {}),
          points: { show: props.x.length < 40 },
        })),
      ],
    };
    const data = [props.x, ...props.series.map((series) => series.values)] as uPlot.AlignedData;
    plot.current?.destroy();
    plot.current = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => {
      plot.current?.setSize({ width: Math.max(240, element.clientWidth), height: props.height ?? 220 });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [
    props.x,
    props.series,
    props.time,
    props.yLabel,
    props.xLabel,
    props.height,
    props.bars,
    props.yFormat,
    themeKey,
  ]);

  return (
    <figure class="chart">
      <div ref={holder} role="img" aria-label={props.label} />
      <figcaption>
        <ul class="legend">
          {props.series.map((series) => (
            <li key={series.label}>
              <span class="swatch" style={{ background: `var(${series.colorVariable})` }} aria-hidden="true" />
              {series.label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
