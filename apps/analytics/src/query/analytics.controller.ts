import { BadRequestException, Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorSchema, ErrorsSchema, RoomSchema, SummarySchema } from '../docs/api-schemas';
import { OpsAuthGuard } from '../ops-auth/ops-auth.guard';
import { ErrorsService, ErrorsView } from './errors.service';
import { ParamResult, parseRoomId, parseWindowMinutes } from './query-params';
import { RoomService, RoomView } from './room.service';
import { SummaryService, SummaryView } from './summary.service';

function valid<T>(result: ParamResult<T>): T {
  if (!result.ok) throw new BadRequestException(result.reason);
  return result.value;
}

/** Read-only JSON over the aggregates; the reading is in the services. */
@Controller('analytics')
@UseGuards(OpsAuthGuard)
@ApiTags('analytics')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'production only: no valid operator token', schema: ErrorSchema })
@ApiForbiddenResponse({ description: 'production only: a valid token without the ops role', schema: ErrorSchema })
export class AnalyticsController {
  constructor(
    private readonly summaries: SummaryService,
    private readonly rooms: RoomService,
    private readonly errorsView: ErrorsService,
  ) {}

  @Get('summary')
  @ApiOperation({ summary: 'Totals, rates, online, top rooms, delay and errors of the last 5 minutes; per-second series' })
  @ApiOkResponse({ schema: SummarySchema })
  summary(): Promise<SummaryView> {
    return this.summaries.summary();
  }

  @Get('rooms/:roomId')
  @ApiOperation({ summary: "One room's activity: total, last 1/5/60 minutes, distinct senders, per-minute series (a room never seen is zeros)" })
  @ApiParam({ name: 'roomId', description: 'a room id of the chat protocol' })
  @ApiOkResponse({ schema: RoomSchema })
  @ApiBadRequestResponse({ description: 'an invalid room id, with the reason', schema: ErrorSchema })
  room(@Param('roomId') roomId: string): Promise<RoomView> {
    return this.rooms.room(valid(parseRoomId(roomId)));
  }

  @Get('errors')
  @ApiOperation({ summary: 'Warnings and errors per service and level, and the 10 most frequent messages, of a window' })
  @ApiQuery({ name: 'window', required: false, description: '30s to 24h, rounded up to whole minutes; default 5m', example: '5m' })
  @ApiOkResponse({ schema: ErrorsSchema })
  @ApiBadRequestResponse({ description: 'a bad window, with the reason', schema: ErrorSchema })
  errors(@Query('window') window: unknown): Promise<ErrorsView> {
    return this.errorsView.errors(valid(parseWindowMinutes(window)));
  }
}
