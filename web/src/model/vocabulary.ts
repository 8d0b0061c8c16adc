// The operational vocabulary as the dashboard shows it: the values (from the server's enums), their order in
// menus and legends, and their colours. Labels are i18n keys: `category.<value>`, `status.<value>`, ...
import type {
  CameraKind, CameraStatus, IncidentCategory, IncidentStatus, PatrolMode, PatrolRouteStatus, PatrolUnitStatus, ZoneKind,
} from '../api/types';

export const categories: readonly IncidentCategory[] = [
  'violent', 'robbery', 'burglary', 'property_theft', 'fraud', 'traffic', 'public_order', 'dispute', 'fire_hazard', 'other',
];

/** Category colours: distinguishable on a dark basemap; violence and robbery in the reds. */
export const categoryColors: Record<IncidentCategory, string> = {
  violent: '#ff4d4f',
  robbery: '#ff7a45',
  burglary: '#ffa940',
  property_theft: '#fadb14',
  fraud: '#b37feb',
  traffic: '#40a9ff',
  public_order: '#36cfc9',
  dispute: '#f759ab',
  fire_hazard: '#ff9c6e',
  other: '#a0aec0',
};

export const severities = [4, 3, 2, 1] as const;
export type Severity = 1 | 2 | 3 | 4;

export const severityColors: Record<Severity, string> = { 1: '#6b8fb3', 2: '#e6c229', 3: '#ff8c1a', 4: '#ff3b3b' };

export const statuses: readonly IncidentStatus[] = ['reported', 'dispatched', 'on_scene', 'resolved', 'closed', 'cancelled'];

/** The server's workflow (IncidentWorkflow.cs): where each status may go next. closed and cancelled are final. */
export const statusTransitions: Record<IncidentStatus, readonly IncidentStatus[]> = {
  reported: ['dispatched', 'on_scene', 'resolved', 'cancelled'],
  dispatched: ['on_scene', 'resolved', 'reported', 'cancelled'],
  on_scene: ['resolved', 'cancelled'],
  resolved: ['closed', 'on_scene'],
  closed: [],
  cancelled: [],
};

export const openStatuses: readonly IncidentStatus[] = ['reported', 'dispatched', 'on_scene'];

export function isOpen(status: IncidentStatus): boolean {
  return openStatuses.includes(status);
}

export const statusColors: Record<IncidentStatus, string> = {
  reported: '#ff4d4f',
  dispatched: '#ffa940',
  on_scene: '#fadb14',
  resolved: '#52c41a',
  closed: '#5c6b7f',
  cancelled: '#5c6b7f',
};

export const cameraKinds: readonly CameraKind[] = ['fixed', 'ptz', 'dome'];
export const cameraStatuses: readonly CameraStatus[] = ['online', 'offline', 'fault'];
export const cameraStatusColors: Record<CameraStatus, string> = { online: '#3ddc97', offline: '#7b8794', fault: '#ff5c5c' };

export const patrolLevels = [1, 2, 3] as const;
export const patrolModes: readonly PatrolMode[] = ['vehicle', 'foot', 'bicycle'];
export const routeStatuses: readonly PatrolRouteStatus[] = ['active', 'suspended', 'draft'];
export const unitStatuses: readonly PatrolUnitStatus[] = ['available', 'busy', 'off_duty'];
export const unitStatusColors: Record<PatrolUnitStatus, string> = { available: '#3ddc97', busy: '#ff9f1a', off_duty: '#7b8794' };
export const levelColors: Record<1 | 2 | 3, string> = { 1: '#4da3ff', 2: '#9b7bff', 3: '#2fd4c4' };

export const zoneKinds: readonly ZoneKind[] = [
  'key_facility', 'school', 'crowded_public_place', 'residential_community', 'urban_village', 'urban_rural_fringe',
  'mining_area', 'disorder_hotspot_area', 'district',
];

export const zoneKindColors: Record<ZoneKind, string> = {
  key_facility: '#e05d5d',
  school: '#f2b84b',
  crowded_public_place: '#d96bd0',
  residential_community: '#5b9bd5',
  urban_village: '#c98a4b',
  urban_rural_fringe: '#8a9a5b',
  mining_area: '#8c7b6b',
  disorder_hotspot_area: '#ff6b6b',
  district: '#607080',
};

export const riskColors: Record<1 | 2 | 3 | 4, string> = { 1: '#4f6d8a', 2: '#d9b43a', 3: '#f07a2a', 4: '#ff3030' };
