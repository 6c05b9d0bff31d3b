namespace Rampart.Stats.Tests;
