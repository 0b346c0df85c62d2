import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { useHashRoute } from './hooks.js';
import { MarketViewer } from './markets/market-viewer.js';
import { History } from './pipeline/history.js';
import { JobPage } from './pipeline/job-page.js';
import { NewJob } from './pipeline/new-job.js';
import { RecorderDashboard } from './recorder/recorder.js';

const SECTIONS = [
  { path: '/pipeline', label: 'New job' },
  { path: '/jobs', label: 'Jobs' },
  { path: '/recorder', label: 'Recorder' },
  { path: '/markets', label: 'Markets' },
];

function Page({ path, params }: { path: string; params: URLSearchParams }) {
  const job = /^\/jobs\/(.+)$/.exec(path);
  if (job?.[1]) return <JobPage jobId={decodeURIComponent(job[1])} />;
  if (path === '/jobs') return <History />;
  if (path === '/recorder') return <RecorderDashboard />;
  if (path === '/markets') return <MarketViewer params={params} />;
  return <NewJob />;
}

function App() {
  const { path, params } = useHashRoute();
  const section = SECTIONS.find((s) => path === s.path || path.startsWith(`${s.path}/`));
  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header>
        <h1>CHIMERA</h1>
        <nav aria-label="Sections">
          <ul>
            {SECTIONS.map((s) => (
              <li key={s.path}>
                <a href={`#${s.path}`} aria-current={section === s ? 'page' : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={path} params={params} />
      </main>
    </>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
