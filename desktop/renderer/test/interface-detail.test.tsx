// The interface page: deleting asks first, saying when access is cut and when
// the interface goes for good, then shows the dates the server answered;
// cancelling a line sends its reference, cancelling a code sends the code.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AccessService } from '@gen/reseller/v1/access_pb.js';
import {
  InterfaceOfferingLineSchema, InterfaceSchema, InterfaceService, InterfaceStatus, type CancelInterfaceOfferingRequest,
} from '@gen/reseller/v1/interfaces_pb.js';
import { InterfaceDetailScreen } from '../src/screens/interfaces/InterfaceDetailScreen.tsx';
import { fmt, renderWithApi } from './render.tsx';

const KEY = '01890000-0000-7000-8000-0000000000f1';
const accessEnd = timestampFromDate(new Date('2026-12-01T00:00:00Z'));
const deletion = timestampFromDate(new Date('2027-02-22T09:00:00Z'));

function renderDetail(cancelled: CancelInterfaceOfferingRequest[]) {
  let status = InterfaceStatus.ACTIVE;
  renderWithApi(<InterfaceDetailScreen />, (router) => {
    router.service(AccessService, { listResellers: () => ({ resellers: [] }) });
    router.service(InterfaceService, {
      getInterface: () => ({ interface: create(InterfaceSchema, { key: KEY, guid: 'bm-shop-1', status, url: 'https://bm.shops.example.com', contact: { company: 'Boulangerie Martin' } }) }),
      listInterfaceOfferings: () => ({ codes: ['MO-NEWSLETTER-AMM'] }),
      getInterfaceOffering: (req) => ({ lines: [create(InterfaceOfferingLineSchema, { code: req.code, reference: 'ref-1' }), create(InterfaceOfferingLineSchema, { code: req.code, reference: 'ref-2' })] }),
      cancelInterfaceOffering: (req) => { cancelled.push(req); return { lines: [] }; },
      deleteInterface: () => { status = InterfaceStatus.DEACTIVATED; return { accessEndTime: accessEnd, deletionTime: deletion }; },
    });
  }, { path: `/interfaces/${KEY}`, route: '/interfaces/:interfaceKey' });
}

describe('interface detail', () => {
  it('delete: the confirmation states the access cut and final deletion, then the server\'s dates show', async () => {
    renderDetail([]);
    await userEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Delete interface bm-shop-1?' });
    expect(confirm.textContent).toContain('Access is cut on the 1st of next month');
    expect(confirm.textContent).toContain('deleted for good 90 days from now');
    await userEvent.click(within(confirm).getByRole('button', { name: 'Delete interface' }));
    const dates = await screen.findByTestId('deletion-dates');
    expect(dates.textContent).toContain(fmt.time(accessEnd));
    expect(dates.textContent).toContain(fmt.time(deletion));
    await screen.findByRole('button', { name: 'Reactivate' });
  });

  it('cancels one line by its reference, or every line of a code, each after confirming', async () => {
    const cancelled: CancelInterfaceOfferingRequest[] = [];
    renderDetail(cancelled);
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel line ref-2' }));
    let confirm = await screen.findByRole('alertdialog');
    expect(cancelled).toEqual([]);
    await userEvent.click(within(confirm).getByRole('button', { name: 'Cancel line' }));
    await waitFor(() => expect(cancelled.map((c) => c.codeOrReference)).toEqual(['ref-2']));

    await userEvent.click(await screen.findByRole('button', { name: 'Cancel all MO-NEWSLETTER-AMM' }));
    confirm = await screen.findByRole('alertdialog', { name: 'Cancel every MO-NEWSLETTER-AMM line?' });
    await userEvent.click(within(confirm).getByRole('button', { name: 'Cancel all MO-NEWSLETTER-AMM' }));
    await waitFor(() => expect(cancelled.map((c) => c.codeOrReference)).toEqual(['ref-2', 'MO-NEWSLETTER-AMM']));
    expect(cancelled.every((c) => c.key === KEY)).toBe(true);
  });
});
