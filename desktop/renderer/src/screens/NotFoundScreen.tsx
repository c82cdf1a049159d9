// An address the console has no screen for.
import { Link } from 'react-router';
import { Page } from '../ui/Page.tsx';

export function NotFoundScreen() {
  return (
    <Page title="No such screen">
      <p>This address does not lead to a screen of the console. <Link to="/clients">Go to the clients</Link>.</p>
    </Page>
  );
}
