// Les membres du personnel et leurs sessions.
import type { staff as en } from '../en/staff.ts';
import type { Messages } from '../keys.ts';

export const staff: Messages<typeof en> = {
  staff: {
    title: 'Personnel',
    subtitle: 'Les personnes qui se connectent à cette console, chacune avec son mot de passe et son second facteur.',
    caption: 'Personnel',
    what: 'membres du personnel',
    empty: 'Aucun membre du personnel : invitez le premier.',
    invite: 'Inviter une personne',
    sendInvitation: 'Envoyer l’invitation',
    sessions: 'Sessions',
    sessionsOf: 'Sessions de {{name}}',
    sessionsNotLoaded: 'Les sessions n’ont pas pu être chargées',
    noSessions: 'Aucune session pour l’instant.',
    live: 'En cours',
    ended: 'Terminée le {{time}}',
    endSession: 'Terminer la session',
    endSessionTitle: 'Terminer la session sur {{device}} ?',
    endSessionText: 'Ses jetons cessent de fonctionner aussitôt, sur tous les serveurs.',
    disable: 'Désactiver',
    disableNamed: 'Désactiver {{name}}',
    disableTitle: 'Désactiver {{name}} ?',
    disableConfirm: 'Désactiver',
    disableText: '{{email}} ne pourra plus se connecter, et toutes ses sessions prennent fin aussitôt.',
    columns: { name: 'Nom', email: 'Adresse e-mail', role: 'Rôle', status: 'État', invited: 'Invité le' },
    sessionColumns: { device: 'Appareil', address: 'Adresse', started: 'Connexion', lastRefresh: 'Dernier renouvellement', state: 'État' },
    fields: { email: 'Adresse e-mail', emailHint: 'L’invitation est envoyée à cette adresse.', name: 'Nom', role: 'Rôle' },
    status: { unknown: 'Inconnu', invited: 'Invité', enrolling: 'En cours d’activation', active: 'Actif', disabled: 'Désactivé' },
    notify: { invited: 'Invitation envoyée à {{email}}.', disabled: '{{name}} est désactivé.', sessionEnded: 'La session est terminée.' },
  },
};
