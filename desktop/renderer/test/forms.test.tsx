// The forms' rules: required fields are checked before anything is sent; the
// server's field violations land next to their fields and its message and
// reason above the buttons; a refusal about one field (a duplicate code) goes
// next to that field; edits send the etag they read, and a stale one offers
// to load the latest version.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { create } from '@bufbuild/protobuf';
import { Code } from '@connectrpc/connect';
import { AccessService } from '@gen/reseller/v1/access_pb.js';
import {
  ClientSchema, ClientService, ClientStatus, type RegisterClientRequest, type UpdateClientRequest,
} from '@gen/reseller/v1/clients_pb.js';
import { RegisterClientDialog, EditClientDialog } from '../src/screens/clients/ClientForms.tsx';
import { apiError, errorNextTo, renderWithApi } from './render.tsx';

const RESELLER = '01890000-0000-7000-8000-00000000000a';

function resellers(router: Parameters<Parameters<typeof renderWithApi>[1]>[0]) {
  router.service(AccessService, {
    listResellers: () => ({ resellers: [{ resellerId: RESELLER, name: 'Acme Telecom' }], nextPageToken: '' }),
  });
}

function registerDialog(registerClient: (req: RegisterClientRequest) => unknown) {
  const registered: string[] = [];
  renderWithApi(
    <RegisterClientDialog resellerId={RESELLER} onClose={() => undefined} onRegistered={(c) => registered.push(c.clientId)} />,
    (router) => {
      resellers(router);
      router.service(ClientService, { registerClient: (req) => registerClient(req) as never });
    },
  );
  return registered;
}

describe('register client form', () => {
  it('marks required fields, and sends nothing while one is empty', async () => {
    const sent: RegisterClientRequest[] = [];
    registerDialog((req) => { sent.push(req); return {}; });
    const dialog = await screen.findByRole('dialog', { name: 'Register client' });
    const name = within(dialog).getByLabelText(/^Name/);
    expect(name.getAttribute('aria-required')).toBe('true');

    await userEvent.click(within(dialog).getByRole('button', { name: 'Register client' }));
    expect(errorNextTo(name)).toBe('Name is required');
    expect(errorNextTo(within(dialog).getByLabelText(/^Code/))).toBe('Code is required');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(name);
    expect(sent).toEqual([]);

    // Typing answers the message.
    await userEvent.type(name, 'Boulangerie');
    expect(errorNextTo(name)).toBeUndefined();
  });

  it('shows each of the server\'s field violations next to its field, and its message and reason above', async () => {
    registerDialog(() => {
      throw apiError(Code.InvalidArgument, 'INVALID_ARGUMENT', 'invalid request: name must be at most 200 characters; code must be 1 to 64 letters', [
        { field: 'name', description: 'must be at most 200 characters', reason: 'TOO_LONG' },
        { field: 'code', description: 'must be 1 to 64 letters, digits, ".", "_" or "-"', reason: 'INVALID_FORMAT' },
        { field: 'requestId', description: 'must be at most 128 characters', reason: 'TOO_LONG' },
      ]);
    });
    const dialog = await screen.findByRole('dialog', { name: 'Register client' });
    await userEvent.click(within(dialog).getByLabelText(/^Name/));
    await userEvent.paste('x'.repeat(201));
    await userEvent.type(within(dialog).getByLabelText(/^Code/), 'BM 001');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Register client' }));

    const alert = await within(dialog).findByRole('alert');
    expect(errorNextTo(within(dialog).getByLabelText(/^Name/))).toBe('Name must be at most 200 characters');
    expect(errorNextTo(within(dialog).getByLabelText(/^Code/))).toBe('Code must be 1 to 64 letters, digits, ".", "_" or "-"');
    expect(alert.textContent).toContain('invalid request: name must be at most 200 characters');
    expect(within(alert).getByTestId('error-reason').textContent).toBe('INVALID_ARGUMENT');
    // A violation for a field the form has no input for is still shown.
    expect(within(alert).getByText('requestId').parentElement!.textContent).toBe('requestId must be at most 128 characters');
    expect(document.activeElement).toBe(within(dialog).getByLabelText(/^Name/));
  });

  it('puts a duplicate code next to the code field (CLIENT_CODE_EXISTS)', async () => {
    registerDialog(() => {
      throw apiError(Code.AlreadyExists, 'CLIENT_CODE_EXISTS', 'a client with code "BM-001" already exists for this reseller');
    });
    const dialog = await screen.findByRole('dialog', { name: 'Register client' });
    await userEvent.type(within(dialog).getByLabelText(/^Name/), 'Boulangerie Martin');
    await userEvent.type(within(dialog).getByLabelText(/^Code/), 'BM-001');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Register client' }));
    await within(dialog).findByRole('alert');
    expect(errorNextTo(within(dialog).getByLabelText(/^Code/))).toBe('a client with code "BM-001" already exists for this reseller');
    expect(within(dialog).getByTestId('error-reason').textContent).toBe('CLIENT_CODE_EXISTS');
  });

  it('sends the fields and one request id, the same on a retry', async () => {
    const sent: RegisterClientRequest[] = [];
    let fail = true;
    const registered = registerDialog((req) => {
      sent.push(req);
      if (fail) {
        fail = false;
        throw apiError(Code.Unavailable, 'UNAVAILABLE', 'the server is restarting');
      }
      return { client: create(ClientSchema, { clientId: 'c1', name: req.name, code: req.code, resellerId: req.resellerId }) };
    });
    const dialog = await screen.findByRole('dialog', { name: 'Register client' });
    await userEvent.type(within(dialog).getByLabelText(/^Name/), 'Boulangerie Martin');
    await userEvent.type(within(dialog).getByLabelText(/^Code/), 'BM-001');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Register client' }));
    await within(dialog).findByText('the server is restarting');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Register client' }));
    await waitFor(() => expect(registered).toEqual(['c1']));
    expect(sent.map((r) => [r.resellerId, r.name, r.code])).toEqual([[RESELLER, 'Boulangerie Martin', 'BM-001'], [RESELLER, 'Boulangerie Martin', 'BM-001']]);
    expect(sent[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[1]!.requestId).toBe(sent[0]!.requestId);
  });
});

describe('edit client form', () => {
  const client = create(ClientSchema, { clientId: 'c1', resellerId: RESELLER, name: 'Boulangerie Martin', code: 'BM-001', status: ClientStatus.ACTIVE, etag: 'v3' });

  it('sends the etag it read and only the fields that changed', async () => {
    const sent: UpdateClientRequest[] = [];
    let closed = false;
    renderWithApi(<EditClientDialog client={client} onClose={() => { closed = true; }} onReload={() => undefined} />, (router) => {
      router.service(ClientService, { updateClient: (req) => { sent.push(req); return { client }; } });
    });
    const dialog = await screen.findByRole('dialog', { name: 'Edit Boulangerie Martin' });
    const name = within(dialog).getByLabelText(/^Name/);
    await userEvent.clear(name);
    await userEvent.type(name, 'Boulangerie Martin & Fils');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(closed).toBe(true));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ clientId: 'c1', name: 'Boulangerie Martin & Fils', etag: 'v3' });
    expect(sent[0]!.code).toBeUndefined();
  });

  it('shows an aborted update (ETAG_MISMATCH) and offers to load the latest version', async () => {
    let reloads = 0;
    renderWithApi(<EditClientDialog client={client} onClose={() => undefined} onReload={() => { reloads++; }} />, (router) => {
      router.service(ClientService, {
        updateClient: () => { throw apiError(Code.Aborted, 'ETAG_MISMATCH', 'client c1 changed since you read it (your etag v3, now v4): read it again and retry'); },
      });
    });
    const dialog = await screen.findByRole('dialog', { name: 'Edit Boulangerie Martin' });
    expect(within(dialog).queryByRole('button', { name: 'Load the latest version' })).toBeNull();
    await userEvent.type(within(dialog).getByLabelText(/^Name/), ' SARL');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('changed since you read it');
    expect(within(alert).getByTestId('error-reason').textContent).toBe('ETAG_MISMATCH');
    expect(alert.textContent).toContain('aborted');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Load the latest version' }));
    expect(reloads).toBe(1);
  });
});
