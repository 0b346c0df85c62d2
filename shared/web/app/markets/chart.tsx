import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

const PALETTE = [
  '#1f5fbf',
  '#c0392b',
  '#1e8449',
  '#8e44ad',
  '#b9770e',
  '#117a8b',
  '#6e2c00',
  '#2c3e50',
  '#d35400',
  '#7d3c98',
  '#196f3d',
  '#943126',
  '#1a5276',
  '#7e5109',
  '#4a235a',
  '#0e6251',
];

export function colourOf(i: number): string {
  return PALETTE[i % PALETTE.length] ?? '#333';
}

/**
 * A uPlot chart of series over time (seconds since 1970), redrawn when `data` changes. `marks`
 * are vertical lines at given times (the off), `cursor` a time to highlight (the slider).
 */
export function TimeChart(props: {
  title: string;
  data: uPlot.AlignedData;
  series: { label: string; colour: string }[];
  logScale?: boolean;
  bars?: boolean;
  marks?: { time: number; label: string }[];
  cursor?: number;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | undefined>(undefined);
  const marks = useRef(props.marks ?? []);
  const cursor = useRef(props.cursor);
  marks.current = props.marks ?? [];
  cursor.current = props.cursor;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const drawLines = (u: uPlot) => {
      const ctx = u.ctx;
      const lines = [
        ...marks.current.map((m) => ({ ...m, colour: '#b03a2e' })),
        ...(cursor.current === undefined
          ? []
          : [{ time: cursor.current, label: '', colour: '#333' }]),
      ];
      ctx.save();
      for (const line of lines) {
        const x = Math.round(u.valToPos(line.time, 'x', true));
        ctx.strokeStyle = line.colour;
        ctx.lineWidth = 2 * devicePixelRatio;
        ctx.setLineDash(line.label ? [6, 4] : []);
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
        if (line.label) {
          ctx.fillStyle = line.colour;
          ctx.font = `${12 * devicePixelRatio}px sans-serif`;
          ctx.fillText(line.label, x + 4 * devicePixelRatio, u.bbox.top + 14 * devicePixelRatio);
        }
      }
      ctx.restore();
    };
    const options: uPlot.Options = {
      title: props.title,
      width: Math.max(300, el.clientWidth),
      height: props.height ?? 320,
      // Times in UTC, as every stored record and the rest of the console show them.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true }, y: props.logScale ? { distr: 3 } : {} },
      axes: [{}, { size: 60 }],
      series: [
        { label: 'Time (UTC)' },
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.colour,
          width: 1.5,
          ...(props.bars
            ? { fill: `${s.colour}88`, paths: uPlot.paths.bars?.({ size: [0.8, 40] }) }
            : {}),
        })),
      ],
      hooks: { draw: [drawLines] },
    };
    chart.current = new uPlot(options, props.data, el);
    const resize = new ResizeObserver(() =>
      chart.current?.setSize({ width: Math.max(300, el.clientWidth), height: props.height ?? 320 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.current?.destroy();
      chart.current = undefined;
    };
    // A new chart for new series; new values for the same series go through setData below.
  }, [props.title, props.series.map((s) => s.label).join('\n')]);

  useEffect(() => {
    chart.current?.setData(props.data);
  }, [props.data]);
  const markKey = (props.marks ?? []).map((m) => `${m.time}${m.label}`).join();
  useEffect(() => {
    chart.current?.redraw(false);
  }, [props.cursor, markKey]);

  return <div ref={box} class="chart" role="img" aria-label={props.title} />;
}
