// A reseller's webhooks tab: endpoints listed with their status; a new one's
// secret shown once; pause, rotate (the new secret shown once) and delete send
// what they should; an endpoint's attempts, and an attempt's event redelivered.
import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { create } from '@bufbuild/protobuf';
import {
  DeliveryAttemptSchema, DeliveryOutcome, EventService, WebhookEndpointSchema, WebhookEndpointStatus,
  type CreateWebhookEndpointRequest, type RedeliverEventsRequest, type UpdateWebhookEndpointRequest,
} from '@gen/reseller/v1/events_pb.js';
import { WebhooksTab } from '../src/screens/events/WebhooksTab.tsx';
import { renderWithApi } from './render.tsx';

const endpoint = create(WebhookEndpointSchema, {
  endpointId: 'e1', resellerId: 'r1', url: 'https://hooks.acme.example/events', description: 'Acme ERP', status: WebhookEndpointStatus.ACTIVE, etag: 'v3',
});

describe('webhooks tab', () => {
  it('lists endpoints, registers one with its secret shown once, pauses, rotates and deletes', async () => {
    const created: CreateWebhookEndpointRequest[] = [];
    const updated: UpdateWebhookEndpointRequest[] = [];
    const rotated: string[] = [];
    const deleted: string[] = [];
    renderWithApi(<WebhooksTab resellerId="r1" resellerName="Acme Partners" />, (router) => {
      router.service(EventService, {
        listWebhookEndpoints: () => ({ endpoints: [endpoint] }),
        createWebhookEndpoint: (req) => { created.push(req); return { endpoint: { ...endpoint, endpointId: 'e2', url: req.url }, signingSecret: 'whsec_new_one' }; },
        updateWebhookEndpoint: (req) => { updated.push(req); return { endpoint }; },
        rotateWebhookSecret: (req) => { rotated.push(req.endpointId); return { endpoint, signingSecret: 'whsec_rotated' }; },
        deleteWebhookEndpoint: (req) => { deleted.push(req.endpointId); return {}; },
      });
    });
    const table = await screen.findByRole('table', { name: 'Webhook endpoints' });
    const row = within(table).getAllByRole('row')[1]!;
    expect(row.textContent).toContain('https://hooks.acme.example/events');
    expect(row.textContent).toContain('Active');
    expect(row.textContent).toContain('Every event');

    await userEvent.click(screen.getByRole('button', { name: 'New endpoint' }));
    await userEvent.type(screen.getByLabelText(/^URL/), 'https://erp.acme.example/hook');
    await userEvent.click(screen.getByRole('button', { name: 'Register endpoint' }));
    expect((await screen.findByTestId('webhook-secret')).textContent).toBe('whsec_new_one');
    expect(created[0]).toMatchObject({ resellerId: 'r1', url: 'https://erp.acme.example/hook' });
    expect(created[0]!.requestId).not.toBe('');
    await userEvent.click(screen.getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByTestId('webhook-secret')).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Pause https://hooks.acme.example/events' }));
    await waitFor(() => expect(updated).toEqual([expect.objectContaining({ endpointId: 'e1', status: WebhookEndpointStatus.PAUSED, etag: 'v3' })]));

    await userEvent.click(screen.getByRole('button', { name: 'Rotate the secret of https://hooks.acme.example/events' }));
    await userEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Rotate secret' }));
    expect((await screen.findByTestId('webhook-secret')).textContent).toBe('whsec_rotated');
    expect(rotated).toEqual(['e1']);
    await userEvent.click(screen.getByRole('button', { name: 'I have stored it' }));

    await userEvent.click(screen.getByRole('button', { name: 'Delete https://hooks.acme.example/events' }));
    await userEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(deleted).toEqual(['e1']));
  });

  it('shows an endpoint\'s delivery attempts and redelivers an attempt\'s event', async () => {
    const redelivered: RedeliverEventsRequest[] = [];
    renderWithApi(<WebhooksTab resellerId="r1" resellerName="Acme Partners" />, (router) => {
      router.service(EventService, {
        listWebhookEndpoints: () => ({ endpoints: [endpoint] }),
        listDeliveryAttempts: () => ({
          attempts: [create(DeliveryAttemptSchema, {
            attemptId: 'a1', endpointId: 'e1', eventId: 'ev1', eventType: 'interface.activated', outcome: DeliveryOutcome.FAILED,
            httpStatus: 503, latencyMs: 42, responseExcerpt: 'receiver says no', attemptNumber: 1,
          })],
        }),
        redeliverEvents: (req) => { redelivered.push(req); return { scheduled: 1 }; },
      });
    }, { language: 'fr' });
    await screen.findByRole('table', { name: 'Points de terminaison webhook' });
    await userEvent.click(screen.getByRole('button', { name: 'Envois vers https://hooks.acme.example/events' }));
    const attempts = await screen.findByRole('table', { name: 'Tentatives d’envoi' });
    const row = within(attempts).getAllByRole('row')[1]!;
    expect(row.textContent).toContain('Échec');
    expect(row.textContent).toContain('503');
    expect(row.textContent).toContain('42 ms');
    await userEvent.click(within(row).getByRole('button', { name: 'Renvoyer l’événement interface.activated' }));
    await waitFor(() => expect(redelivered).toEqual([expect.objectContaining({ endpointId: 'e1', eventId: 'ev1' })]));
  });
});
