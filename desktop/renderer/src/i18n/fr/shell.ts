// Français : le cadre, la connexion et la navigation.
import type { shell as en } from '../en/shell.ts';
import type { Messages } from '../keys.ts';

export const shell: Messages<typeof en> = {
  shell: {
    brand: 'Console revendeurs',
    skipToContent: 'Aller au contenu',
    screens: 'Écrans',
    menu: 'Menu',
    fold: 'Replier le menu',
    pin: 'Garder le menu ouvert',
    language: 'Langue',
    signedInAs: 'Connecté en tant que',
    signOut: 'Se déconnecter',
    loading: 'Chargement',
    roles: {
      admin: 'Administration',
      support: 'Support : lecture seule',
      unknown: 'rôle inconnu',
    },
  },
  nav: {
    sections: {
      start: 'Démarrer',
      customers: 'Clientèle',
      partners: 'Partenaires',
      catalog: 'Catalogue',
      operations: 'Exploitation',
    },
    home: 'Accueil',
    clients: 'Clients',
    interfaces: 'Interfaces',
    resellers: 'Revendeurs',
    credentials: 'Identifiants d’API',
    offerings: 'Prestations',
    smartphones: 'Smartphones',
    charges: 'Frais',
    audit: 'Journal d’audit',
  },
  signIn: {
    intro: 'Connectez-vous avec un identifiant du personnel (administration ou support).',
    serverUrl: 'URL du serveur',
    clientId: 'Identifiant client',
    secret: 'Secret',
    submit: 'Se connecter',
    serverUrlDesktop: 'Le serveur pour lequel l’application a été lancée (SERVER_URL).',
    serverUrlBrowser: 'Le serveur qui sert cette page.',
    secretHint: 'Gardé en mémoire seulement, pour renouveler votre session avant qu’elle n’expire.',
    sessionEnded: 'Votre session a pris fin : {{message}}',
    resellerRefused: 'Cette console est réservée aux identifiants du personnel (administration ou support). Un identifiant de revendeur s’utilise avec l’API : voir le README.',
  },
  notFound: {
    title: 'Écran introuvable',
    text: 'Cette adresse ne mène à aucun écran de la console.',
    home: 'Revenir à l’accueil.',
  },
};
