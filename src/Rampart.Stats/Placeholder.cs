namespace Rampart.Stats;
